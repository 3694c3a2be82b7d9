import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { podWatchApiRef } from '../api';

/** The backend's health, loaded once per mount. */
export function useBackendHealth() {
  const api = useApi(podWatchApiRef);
  return useAsync(() => api.getHealth(), [api]);
}
