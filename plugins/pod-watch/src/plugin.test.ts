import { podWatchPlugin } from './plugin';
import alphaPlugin from './alpha';

describe('pod-watch frontend plugin', () => {
  it('exposes the legacy plugin and the new-frontend-system plugin under one id', () => {
    expect(podWatchPlugin.getId()).toBe('pod-watch');
    expect(alphaPlugin.id).toBe('pod-watch');
  });
});
