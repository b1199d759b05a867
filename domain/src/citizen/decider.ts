import type { IdentityLevel } from '../consultation/events.js';
import { isAgentRole } from '../shared/command.js';
import type { Decider } from '../shared/decider.js';
import { assertNever, DomainRuleError } from '../shared/errors.js';
import type { CitizenCommand } from './commands.js';
import { type CitizenEvent, citizenEventVersions, citizenStreamId, parseCitizenEvent } from './events.js';

export interface Citizen {
  readonly citizenId: string | null;
  readonly phoneDigest: string | null;
  readonly inPerson: { readonly documentDigest: string; readonly communeId: string; readonly quartierId: string | null } | null;
  /** Where the citizen says they live; an in-person check's residence takes precedence (`residenceOf`). */
  readonly declared: Residence | null;
  /** Other device identities that act as this citizen. */
  readonly devices: readonly string[];
}

export interface Residence {
  readonly communeId: string;
  readonly quartierId: string | null;
}

export const initialCitizen = (): Citizen => ({ citizenId: null, phoneDigest: null, inPerson: null, declared: null, devices: [] });

/**
 * Where the citizen lives for eligibility: what an agent recorded at the in-person check, else
 * what the citizen declared (believed at the phone level only: a consultation that must be sure
 * of residence asks for `in_person`).
 */
export function residenceOf(citizen: Citizen): Residence | null {
  if (citizen.inPerson) return { communeId: citizen.inPerson.communeId, quartierId: citizen.inPerson.quartierId };
  return citizen.declared;
}

/** The strongest check the citizen passed. */
export function levelOf(citizen: Citizen): IdentityLevel {
  if (citizen.inPerson) return 'in_person';
  return citizen.phoneDigest ? 'phone' : 'device';
}

const refuse = (code: string, message: string): never => {
  throw new DomainRuleError(code, message);
};

export function decideCitizen(command: CitizenCommand, citizen: Citizen): CitizenEvent[] {
  const { meta } = command;
  const { role, id: actorId } = meta.actor;
  switch (command.type) {
    case 'VerifyPhone': {
      const { data } = command;
      if (role !== 'citizen' || actorId !== data.citizenId) refuse('citizen.forbidden', 'Only the citizen can verify their own phone.');
      if (citizen.phoneDigest === data.phoneDigest) return [];
      return [{ type: 'PhoneVerified', data: { citizenId: data.citizenId, phoneDigest: data.phoneDigest, verifiedAt: meta.now } }];
    }
    case 'VerifyInPerson': {
      const { data } = command;
      if (!isAgentRole(role)) refuse('citizen.forbidden', 'Only a commune agent can check an identity document.');
      if (meta.communeId !== null && meta.communeId !== data.communeId) refuse('citizen.forbidden', `You act for commune ${meta.communeId}, not ${data.communeId}.`);
      if (citizen.inPerson) {
        if (citizen.inPerson.documentDigest !== data.documentDigest) {
          refuse('citizen.other_document', 'This resident was already verified with another identity document; an admin must withdraw that check first.');
        }
        if (citizen.inPerson.quartierId === data.quartierId && citizen.inPerson.communeId === data.communeId) return [];
      }
      return [{ type: 'VerifiedInPerson', data: { ...data, agentId: actorId, verifiedAt: meta.now } }];
    }
    case 'LinkDevice': {
      const { data } = command;
      if (role !== 'citizen' || actorId !== data.deviceCitizenId) refuse('citizen.forbidden', 'Only the new device itself can ask to be linked.');
      if (!citizen.phoneDigest) refuse('citizen.phone_not_verified', 'Only a citizen with a verified phone can be recovered on another device.');
      if (data.deviceCitizenId === data.citizenId || citizen.devices.includes(data.deviceCitizenId)) return [];
      return [{ type: 'DeviceLinked', data: { ...data, via: 'phone', linkedAt: meta.now } }];
    }
    case 'DeclareResidence': {
      const { data } = command;
      if (role !== 'citizen' || actorId !== data.citizenId) refuse('citizen.forbidden', 'Only the citizen can say where they live.');
      if (citizen.declared?.communeId === data.communeId && citizen.declared.quartierId === data.quartierId) return [];
      return [{ type: 'ResidenceDeclared', data: { ...data, declaredAt: meta.now } }];
    }
    case 'RevokeInPersonVerification': {
      const { data } = command;
      if (role !== 'admin') refuse('citizen.forbidden', 'Only an admin can withdraw an identity check.');
      if (!citizen.inPerson) refuse('citizen.not_verified_in_person', 'This resident has no identity check to withdraw.');
      if (meta.communeId !== null && meta.communeId !== citizen.inPerson!.communeId) refuse('citizen.forbidden', `This check was made in commune ${citizen.inPerson!.communeId}.`);
      return [{ type: 'InPersonVerificationRevoked', data: { ...data, revokedBy: actorId, revokedAt: meta.now } }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveCitizen(citizen: Citizen, event: CitizenEvent): Citizen {
  const base = { ...citizen, citizenId: event.data.citizenId };
  switch (event.type) {
    case 'PhoneVerified':
      return { ...base, phoneDigest: event.data.phoneDigest };
    case 'VerifiedInPerson':
      return { ...base, inPerson: { documentDigest: event.data.documentDigest, communeId: event.data.communeId, quartierId: event.data.quartierId } };
    case 'DeviceLinked':
      return { ...base, devices: [...citizen.devices, event.data.deviceCitizenId] };
    case 'InPersonVerificationRevoked':
      return { ...base, inPerson: null };
    case 'ResidenceDeclared':
      return { ...base, declared: { communeId: event.data.communeId, quartierId: event.data.quartierId } };
    default:
      return assertNever(event);
  }
}

export const citizenDecider = {
  streamId: citizenStreamId,
  initialState: initialCitizen,
  decide: decideCitizen,
  evolve: evolveCitizen,
  parseEvent: parseCitizenEvent,
  eventVersions: citizenEventVersions,
} as const satisfies Decider<CitizenCommand, CitizenEvent, Citizen>;
