// Types of scripts/local-servers.mjs for the TypeScript that imports it (the tests): the
// project does not compile .mjs files (tsconfig.json has no allowJs). Keep in step with
// the JSDoc there.

export declare const NOT_INSTALLED_POSTGRES: 'PostgreSQL is not installed: install the Debian package postgresql (apt-get install -y postgresql)';
export declare const NOT_INSTALLED_REDIS: 'Redis is not installed: install the Debian package redis-server (apt-get install -y redis-server)';

/** The folder holding `initdb` and `pg_ctl`: the newest under /usr/lib/postgresql, else on PATH; null when absent. */
export declare function postgresBinaries(): string | null;
/** The `redis-server` on PATH; null when absent. */
export declare function redisBinary(): string | null;
/** A port nobody listens on right now. */
export declare function freePort(): Promise<number>;
/** Turns SIGINT, SIGTERM and SIGHUP into an exit, so that the servers still running are stopped. */
export declare function exitOnSignals(): void;

export interface PostgresOptions {
  /** true: fsync and synchronous_commit on; false: `fsync=off` and `initdb --no-sync`. */
  fsync: boolean;
  /** More server settings, each `name=value` (passed as `-c`). */
  settings?: string[];
  /** The temporary folder's name prefix (default `parley-pg-`). */
  folderPrefix?: string;
}

export interface LocalPostgres {
  /** `postgres://parley@127.0.0.1:PORT/parley` */
  url: string;
  /** The data folder (removed by `stop()`). */
  dir: string;
  /** The postmaster's process id; NaN once stopped. */
  pid(): number;
  /** Stops the server and removes its folder; idempotent. */
  stop(): Promise<void>;
}

/** Starts a private PostgreSQL with a database `parley` that user `parley` may use without a password. */
export declare function startPostgres(options: PostgresOptions): Promise<LocalPostgres>;
/** Creates database `name` on the server of `url`; returns the new database's URL. */
export declare function createDatabase(url: string, name: string): Promise<string>;

export interface LocalRedis {
  /** `redis://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** The running server's process id; NaN while none runs. */
  pid(): number;
  /** Kills the server and waits until it has exited. */
  stop(): Promise<void>;
  /** Stops the server and starts a new, empty one on the same port. */
  restart(): Promise<void>;
}

/** Starts `redis-server` on a free loopback port, keeping nothing on disk, once it answers PING. */
export declare function startRedis(): Promise<LocalRedis>;
