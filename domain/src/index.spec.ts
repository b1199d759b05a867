import { describe, expect, it } from 'vitest';
import * as domain from './index.js';

describe('the public face of @palabre/domain', () => {
  it('offers the ticket decider, event reading, routing, SLAs, reference data and plus codes', () => {
    for (const name of [
      'decide',
      'evolve',
      'initialState',
      'replay',
      'ticketDecider',
      'staffDecider',
      'fold',
      'defaultTicketPolicy',
      'parseTicketEvent',
      'registerUpcaster',
      'routeReport',
      'slaStatus',
      'slaDeadlines',
      'defaultSlaPolicy',
      'demoReference',
      'encodePlusCode',
      'pointInBoundary',
      'DomainRuleError',
      'consultationDecider',
      'ballotBoxDecider',
      'tally',
      'receiptCode',
    ]) {
      expect(domain, name).toHaveProperty(name);
    }
  });

  it('keeps the test helpers out of it', () => {
    expect(domain).not.toHaveProperty('given');
  });
});
