/** Dependency-injection tokens for what Nest cannot infer from a class. */
export const CONFIG = Symbol('Config');
export const PG_POOL = Symbol('PgPool');
export const EVENT_STORE = Symbol('EventStore');
export const CLOCK = Symbol('Clock');

/** The edge's only clock: deciders receive `now` from it through the command. */
export type Clock = () => Date;
/** 32+ bytes keying the HMAC from device id to citizen id. */
export const CITIZEN_SECRET = Symbol('CitizenSecret');
