import { podWatchPlugin } from './plugin';

describe('pod-watch', () => {
  it('should export plugin', () => {
    expect(podWatchPlugin).toBeDefined();
  });
});
