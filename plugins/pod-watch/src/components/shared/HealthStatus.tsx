import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import {
  HEALTH_EXPLANATIONS,
  type PodHealth,
} from '@pod-watch/plugin-pod-watch-common';

const STATUS: Record<PodHealth, typeof StatusOK> = {
  failing: StatusError,
  unknown: StatusWarning,
  degraded: StatusWarning,
  initializing: StatusPending,
  terminating: StatusAborted,
  healthy: StatusOK,
  completed: StatusAborted,
};

/** A health class as Backstage's status dot plus the common package's label and explanation. */
export function HealthStatus(props: { health: PodHealth; children?: string }) {
  const { health, children } = props;
  const Status = STATUS[health] ?? StatusWarning;
  const explanation = HEALTH_EXPLANATIONS[health];
  return (
    <Tooltip title={explanation?.description ?? ''}>
      <span>
        <Status>{children ?? explanation?.label ?? health}</Status>
      </span>
    </Tooltip>
  );
}
