import { ConfigReader } from '@backstage/config';
import { DEFAULT_INCIDENT_LIFECYCLE } from '@pod-watch/plugin-pod-watch-common';
import { readIncidentConfig } from './config';

describe('readIncidentConfig', () => {
  it('defaults every setting and reads podWatch.incidents', () => {
    expect(readIncidentConfig(new ConfigReader({}))).toEqual(
      DEFAULT_INCIDENT_LIFECYCLE,
    );
    expect(
      readIncidentConfig(
        new ConfigReader({
          podWatch: { incidents: { clearAfterSeconds: 120 } },
        }),
      ),
    ).toEqual({ ...DEFAULT_INCIDENT_LIFECYCLE, clearAfterSeconds: 120 });
  });

  it('rejects non-positive values', () => {
    expect(() =>
      readIncidentConfig(
        new ConfigReader({ podWatch: { incidents: { maxCounters: 0 } } }),
      ),
    ).toThrow('podWatch.incidents.maxCounters must be > 0');
  });
});
