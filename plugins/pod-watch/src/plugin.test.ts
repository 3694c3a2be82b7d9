import {
  EntityIncidentsContent,
  EntityPodHealthContent,
  EntityPodLogsContent,
  EntityPodWatchCard,
  podWatchPlugin,
  PodWatchSearchResultListItem,
} from './plugin';
import alphaPlugin from './alpha';

describe('pod-watch frontend plugin', () => {
  it('exposes the legacy plugin and the new-frontend-system plugin under one id', () => {
    expect(podWatchPlugin.getId()).toBe('pod-watch');
    expect(alphaPlugin.id).toBe('pod-watch');
  });

  it('provides three tabs, the overview card and the search result item', () => {
    for (const extension of [
      EntityPodHealthContent,
      EntityPodLogsContent,
      EntityIncidentsContent,
      EntityPodWatchCard,
      PodWatchSearchResultListItem,
    ]) {
      expect(extension).toBeInstanceOf(Function);
    }
    expect(Object.keys(podWatchPlugin.routes)).toEqual([
      'root',
      'logs',
      'incidents',
    ]);
  });
});
