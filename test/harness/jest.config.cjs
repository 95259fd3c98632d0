module.exports = require('../jest/project.cjs')('harness', __dirname);
