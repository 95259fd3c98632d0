module.exports = require('../../jest/project.cjs')('paypal-emulator', __dirname);
