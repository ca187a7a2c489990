// A module whose top level fails, as one with a missing environment variable checked at import does.
throw new Error('DATABASE_URL is not set');
