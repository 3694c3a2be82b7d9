import Chip from '@material-ui/core/Chip';
import { LEVEL_CHIPS, LEVEL_LABELS, LevelChip } from './levels';

/** One chip per level with its count; exactly one is selected. */
export function LevelChips(props: {
  counts: Record<LevelChip, number>;
  value: LevelChip;
  onChange(value: LevelChip): void;
}) {
  const { counts, value, onChange } = props;
  return (
    <div
      role="group"
      aria-label="Filter by level"
      style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
    >
      {LEVEL_CHIPS.map(level => {
        const on = level === value;
        return (
          <Chip
            key={level}
            clickable
            label={`${LEVEL_LABELS[level]} (${counts[level]})`}
            color={on ? 'primary' : 'default'}
            variant={on ? 'default' : 'outlined'}
            aria-pressed={on}
            onClick={() => onChange(level)}
          />
        );
      })}
    </div>
  );
}
