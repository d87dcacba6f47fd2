-- ShedLock's lock table (net.javacrumbs.shedlock, JDBC provider): one row per scheduled job name, so a scheduled
-- batch run fires on one replica only. Times are the database's (the service uses usingDbTime()).
CREATE TABLE shedlock (
    name       varchar(64)  NOT NULL PRIMARY KEY,
    lock_until timestamp    NOT NULL,
    locked_at  timestamp    NOT NULL,
    locked_by  varchar(255) NOT NULL
);
