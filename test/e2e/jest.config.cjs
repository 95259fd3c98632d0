module.exports = require('../jest/project.cjs')('e2e', __dirname);
