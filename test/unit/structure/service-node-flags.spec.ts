import { nestStartNodeFlags, serviceNodeFlags } from '../../support/service-node-flags';

describe("node's options for the service", () => {
  it('are the same for npm start and npm run start:prod', () => {
    expect(nestStartNodeFlags()).toEqual(serviceNodeFlags());
  });

  it('give the young generation room for a request burst (docs/performance-log.md, "A larger young generation, measured on a quiet machine")', () => {
    expect(serviceNodeFlags()).toContain('--max-semi-space-size=64');
  });
});
