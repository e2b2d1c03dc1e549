// Shared vocabulary of the election record (docs/spec/election-record.md §1): the digest H(x),
// ids, strict field validators and the ceremony id. Mirrors voting/record/format.py.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export const RECORD_VERSION = 'polity-election-record-v1';
export const CEREMONY_VERSION = 'polity-ceremony-v1';
export const MAX_WEIGHT = 1_000_000;
const ELECTION_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const ALIAS = /^[\x21-\x7e]{1,256}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** A check does not hold; the message names the field. */
export class CheckFailed extends Error {
  constructor(message) {
    super(message);
    this.name = 'CheckFailed';
  }
}

/** The input is not an election record at all (the CLI's exit status 2). */
export class RecordError extends Error {
  constructor(message) {
    super(message);
    this.name = 'RecordError';
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Canonical JSON of docs/spec/ledger.md §2.2 (JCS subset): the ledger's payload encoding. */
export function canonicalJcs(value, where = 'payload') {
  if (value === null || value === true || value === false) return String(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CheckFailed(`${where}: ${value} is not a safe integer`);
    return String(value);
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new CheckFailed(`${where}: string contains a lone surrogate`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return '[' + value.map((v, i) => canonicalJcs(v, `${where}[${i}]`)).join(',') + ']';
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort(); // UTF-16 code unit order, as JCS requires
    return '{' + keys.map((k) => canonicalJcs(k, where) + ':' + canonicalJcs(value[k], `${where}.${k}`)).join(',') + '}';
  }
  throw new CheckFailed(`${where}: ${typeof value} is not a JSON value`);
}

const utf8 = new TextEncoder();

/** H(x): hex SHA-256 of the canonical JSON of x (an entry's payload-sha256). */
export function digest(value) {
  return bytesToHex(sha256(utf8.encode(canonicalJcs(value))));
}

export const sameJson = (a, b) => canonicalJcs(a) === canonicalJcs(b);

/** The 32-byte ceremony id (spec §2.3); trustees as [{index, name}] or [[index, name]]. */
export function ceremonyId(election, threshold, trustees) {
  const listed = trustees
    .map((t) => (Array.isArray(t) ? { index: t[0], name: t[1] } : { index: t.index, name: t.name }))
    .sort((a, b) => a.index - b.index);
  const doc = { version: CEREMONY_VERSION, election, threshold, trustees: listed };
  return sha256(utf8.encode(canonicalJcs(doc)));
}

export const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

export function exactKeys(obj, keys, where, optional = []) {
  if (!isObject(obj)) throw new CheckFailed(`${where} must be an object`);
  const have = Object.keys(obj);
  const missing = keys.filter((k) => !have.includes(k)).sort();
  const extra = have.filter((k) => !keys.includes(k) && !optional.includes(k)).sort();
  if (missing.length) throw new CheckFailed(`${where} is missing ${missing.join(', ')}`);
  if (extra.length) throw new CheckFailed(`${where} has unexpected key(s) ${extra.join(', ')}`);
  return obj;
}

export function integer(value, where, lo = 0, hi = Number.MAX_SAFE_INTEGER) {
  if (!Number.isSafeInteger(value) || value < lo || value > hi) {
    throw new CheckFailed(`${where} must be an integer ${lo}..${hi}`);
  }
  return value;
}

export function string(value, where) {
  if (typeof value !== 'string') throw new CheckFailed(`${where} must be a string`);
  return value;
}

export function listing(value, where) {
  if (!Array.isArray(value)) throw new CheckFailed(`${where} must be a list`);
  return value;
}

export function hex64(value, where) {
  if (typeof value !== 'string' || !HEX64.test(value)) throw new CheckFailed(`${where} must be 64 lowercase hex digits`);
  return value;
}

export function electionId(value) {
  return typeof value === 'string' && ELECTION_ID.test(value);
}

export function alias(value, where) {
  if (typeof value !== 'string' || !ALIAS.test(value)) {
    throw new CheckFailed(`${where} must be 1-256 printable ASCII characters without space`);
  }
  return value;
}

export function ledgerTime(value, where) {
  if (typeof value !== 'string' || !TIME.test(value)) {
    throw new CheckFailed(`${where} must be a time like 2026-03-01T09:30:00.000000Z`);
  }
  const real = new Date(value.slice(0, 23) + 'Z');
  if (Number.isNaN(real.getTime()) || real.toISOString().slice(0, 19) !== value.slice(0, 19)) {
    throw new CheckFailed(`${where} is not a real date and time`);
  }
  return value;
}

/** ASCII string order (aliases are ASCII, so code units and code points agree). */
export const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
