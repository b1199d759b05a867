import { describe, expect, it } from 'vitest';
import { scenariosOf } from '../testing/scenario.js';
import type { CitizenCommand } from './commands.js';
import { citizenDecider, levelOf, residenceOf } from './decider.js';
import type { CitizenEvent } from './events.js';
import { meetsLevel } from '../consultation/ballot-rules.js';

const given = scenariosOf(citizenDecider);
const now = '2027-03-01T10:00:00.000Z';
const phoneA = 'a'.repeat(64);
const phoneB = 'b'.repeat(64);
const passport = 'c'.repeat(64);
const idCard = 'd'.repeat(64);
const citizen = { actor: { id: 'C-1', role: 'citizen' as const }, communeId: null };
const agent = { actor: { id: 'agent-soa', role: 'field_agent' as const }, communeId: 'soa' };
const admin = { actor: { id: 'admin-soa', role: 'admin' as const }, communeId: 'soa' };
const meta = (m: Omit<CitizenCommand['meta'], 'commandId' | 'now'>) => ({ commandId: 'cmd-1', now, ...m });

const verifyPhone = (phoneDigest = phoneA, m = citizen): CitizenCommand => ({ type: 'VerifyPhone', data: { citizenId: 'C-1', phoneDigest }, meta: meta(m) });
const verifyInPerson = (documentDigest = passport, m = agent, quartierId: string | null = 'soa-centre'): CitizenCommand => ({
  type: 'VerifyInPerson',
  data: { citizenId: 'C-1', documentDigest, communeId: 'soa', quartierId, censusMatch: true },
  meta: meta(m),
});
const phoneVerified = (phoneDigest = phoneA): CitizenEvent => ({ type: 'PhoneVerified', data: { citizenId: 'C-1', phoneDigest, verifiedAt: now } });
const inPerson = (documentDigest = passport): CitizenEvent => ({
  type: 'VerifiedInPerson',
  data: { citizenId: 'C-1', documentDigest, communeId: 'soa', quartierId: 'soa-centre', censusMatch: true, agentId: 'agent-soa', verifiedAt: now },
});

describe('a citizen proves who they are', () => {
  it('starts at the device level and rises with a phone, then an in-person check', () => {
    expect(levelOf(citizenDecider.initialState())).toBe('device');
    expect(levelOf(given([]).when(verifyPhone()).thenState())).toBe('phone');
    expect(levelOf(given([phoneVerified()]).when(verifyInPerson()).thenState())).toBe('in_person');
  });

  it('records a verified phone once, and a new number when it changes', () => {
    given([]).when(verifyPhone()).then([phoneVerified()]);
    given([phoneVerified()]).when(verifyPhone()).then([]);
    given([phoneVerified()]).when(verifyPhone(phoneB)).then([phoneVerified(phoneB)]);
  });

  it('lets only the citizen verify their own phone', () => {
    given([]).when(verifyPhone(phoneA, { actor: { id: 'C-2', role: 'citizen' }, communeId: null })).thenThrows('citizen.forbidden');
    given([]).when(verifyPhone(phoneA, agent)).thenThrows('citizen.forbidden');
  });

  it('takes an in-person check from an agent of the commune, with the agent named', () => {
    given([]).when(verifyInPerson()).then([inPerson()]);
    given([]).when(verifyInPerson(passport, { actor: { id: 'C-1', role: 'citizen' }, communeId: null })).thenThrows('citizen.forbidden');
    given([]).when(verifyInPerson(passport, { actor: { id: 'agent-dschang', role: 'field_agent' }, communeId: 'dschang' })).thenThrows('citizen.forbidden');
  });

  it('refuses a second document for one resident until an admin withdraws the first check', () => {
    given([inPerson()]).when(verifyInPerson(idCard)).thenThrows('citizen.other_document');
    given([inPerson()]).when(verifyInPerson()).then([]);
    const revoke: CitizenCommand = { type: 'RevokeInPersonVerification', data: { citizenId: 'C-1', reason: 'Document of a sibling' }, meta: meta(admin) };
    given([inPerson()]).when({ ...revoke, meta: meta(agent) }).thenThrows('citizen.forbidden');
    const withdrawn = given([inPerson()]).when(revoke).thenState();
    expect(levelOf(withdrawn)).toBe('device');
    given([]).when(revoke).thenThrows('citizen.not_verified_in_person');
  });

  it('links a new device only through a verified phone, once', () => {
    const link: CitizenCommand = { type: 'LinkDevice', data: { citizenId: 'C-1', deviceCitizenId: 'C-9' }, meta: meta({ actor: { id: 'C-9', role: 'citizen' }, communeId: null }) };
    given([]).when(link).thenThrows('citizen.phone_not_verified');
    given([phoneVerified()]).when(link).then([{ type: 'DeviceLinked', data: { citizenId: 'C-1', deviceCitizenId: 'C-9', via: 'phone', linkedAt: now } }]);
    const linked = given([phoneVerified()]).when(link).thenState();
    expect(linked.devices).toEqual(['C-9']);
    given([phoneVerified(), { type: 'DeviceLinked', data: { citizenId: 'C-1', deviceCitizenId: 'C-9', via: 'phone', linkedAt: now } }]).when(link).then([]);
    given([phoneVerified()]).when({ ...link, meta: meta(citizen) }).thenThrows('citizen.forbidden');
  });

  it('orders the levels: a consultation at "phone" admits phone and in-person residents', () => {
    expect(meetsLevel('device', 'phone')).toBe(false);
    expect(meetsLevel('phone', 'phone')).toBe(true);
    expect(meetsLevel('in_person', 'phone')).toBe(true);
    expect(meetsLevel('phone', 'in_person')).toBe(false);
  });

  it('reads its events back from the log and refuses a malformed one', () => {
    const raw = { type: 'PhoneVerified', data: { citizenId: 'C-1', phoneDigest: phoneA, verifiedAt: now }, schemaVersion: 1 };
    expect(citizenDecider.parseEvent(raw as never)).toEqual(phoneVerified());
    expect(() => citizenDecider.parseEvent({ ...raw, data: { ...raw.data, phoneDigest: '+237677123456' } } as never)).toThrow();
  });
});

describe('where a citizen lives', () => {
  const declare = (communeId: string, quartierId: string | null, m = citizen): CitizenCommand => ({ type: 'DeclareResidence', data: { citizenId: 'C-1', communeId, quartierId }, meta: meta(m) });
  const declared = (communeId: string, quartierId: string | null): CitizenEvent => ({ type: 'ResidenceDeclared', data: { citizenId: 'C-1', communeId, quartierId, declaredAt: now } });

  it('records what the citizen declares once, and a move when it changes', () => {
    given([]).when(declare('soa', null)).then([declared('soa', null)]);
    given([declared('soa', null)]).when(declare('soa', null)).then([]);
    given([declared('soa', null)]).when(declare('soa', 'soa-ebogo')).then([declared('soa', 'soa-ebogo')]);
    expect(residenceOf(given([phoneVerified(), declared('soa', 'soa-ebogo')]).when(declare('dschang', null)).thenState())).toEqual({ communeId: 'dschang', quartierId: null });
  });

  it('prefers what an agent checked in person to what was declared', () => {
    const state = given([declared('dschang', null), inPerson()]).when(declare('dschang', null)).thenState();
    expect(residenceOf(state)).toEqual({ communeId: 'soa', quartierId: 'soa-centre' });
    expect(residenceOf(citizenDecider.initialState())).toBeNull();
  });

  it('lets only the citizen declare it', () => {
    given([]).when(declare('soa', null, agent)).thenThrows('citizen.forbidden');
  });
});
