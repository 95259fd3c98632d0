module.exports = require('../../jest/project.cjs')('dataverse-emulator', __dirname);
