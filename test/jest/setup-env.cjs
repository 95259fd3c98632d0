// Tests log at warn unless asked otherwise, so jest output stays readable.
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
