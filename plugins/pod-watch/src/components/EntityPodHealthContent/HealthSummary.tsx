import Chip from '@material-ui/core/Chip';
import {
  HEALTH_EXPLANATIONS,
  type PodHealth,
} from '@pod-watch/plugin-pod-watch-common';
import { SUMMARY_ORDER } from './grouping';

/** Counts per health class; each chip toggles a health filter (several may be on). */
export function HealthSummary(props: {
  counts: Partial<Record<PodHealth, number>>;
  selected: PodHealth[];
  onToggle(health: PodHealth): void;
}) {
  const { counts, selected, onToggle } = props;
  const shown = SUMMARY_ORDER.filter(
    h =>
      (counts[h] ?? 0) > 0 ||
      selected.includes(h) ||
      ['failing', 'degraded', 'initializing', 'healthy'].includes(h),
  );
  return (
    <div
      role="group"
      aria-label="Filter by health"
      style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
    >
      {shown.map(h => {
        const on = selected.includes(h);
        const label = `${HEALTH_EXPLANATIONS[h].label}: ${counts[h] ?? 0}`;
        return (
          <Chip
            key={h}
            label={label}
            clickable
            color={on ? 'primary' : 'default'}
            variant={on ? 'default' : 'outlined'}
            onClick={() => onToggle(h)}
            aria-pressed={on}
            title={HEALTH_EXPLANATIONS[h].description}
          />
        );
      })}
    </div>
  );
}
