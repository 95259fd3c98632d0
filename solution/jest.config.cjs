module.exports = require('../test/jest/project.cjs')('solution', __dirname);
