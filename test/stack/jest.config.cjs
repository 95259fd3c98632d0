module.exports = require('../jest/project.cjs')('stack', __dirname);
