module.exports = require('../test/jest/project.cjs')('monitoring', __dirname);
