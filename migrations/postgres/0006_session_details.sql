-- Each session records the browser (User-Agent, cut to 300 characters) and the address it was
-- last seen from, so that a user can recognise their sessions on « Mes sessions » and end them.
-- Same as migrations/sqlite/0006_session_details.sql.

ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT ''
    CONSTRAINT sessions_user_agent_check CHECK (length(user_agent) <= 300);
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT ''
    CONSTRAINT sessions_address_check CHECK (length(address) <= 100);
