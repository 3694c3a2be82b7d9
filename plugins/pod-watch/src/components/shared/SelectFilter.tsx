import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';

const ALL = '__all__';

/** A labelled single-choice filter with an "All" option. */
export function SelectFilter(props: {
  id: string;
  label: string;
  value?: string;
  options: readonly (string | { value: string; label: string })[];
  onChange(value: string | undefined): void;
  allLabel?: string;
  minWidth?: number;
}) {
  const {
    id,
    label,
    value,
    options,
    onChange,
    allLabel = 'All',
    minWidth = 160,
  } = props;
  return (
    <FormControl size="small" variant="outlined" style={{ minWidth }}>
      <InputLabel id={`${id}-label`}>{label}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        label={label}
        value={value ?? ALL}
        onChange={e => {
          const v = e.target.value as string;
          onChange(v === ALL ? undefined : v);
        }}
      >
        <MenuItem value={ALL}>{allLabel}</MenuItem>
        {options.map(o => {
          const opt = typeof o === 'string' ? { value: o, label: o } : o;
          return (
            <MenuItem key={opt.value} value={opt.value}>
              {opt.label}
            </MenuItem>
          );
        })}
      </Select>
    </FormControl>
  );
}
