module.exports = require('../jest/project.cjs')('test-support', __dirname);
