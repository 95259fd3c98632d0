module.exports = require('../test/jest/project.cjs')('proxy-service', __dirname);
