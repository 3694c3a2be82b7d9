import { Fragment } from 'react';

/** Text with every case-insensitive occurrence of `query` in a <mark>. */
export function Highlight(props: { text: string; query?: string }) {
  const { text, query } = props;
  if (!query) return <>{text}</>;
  const lower = text.toLocaleLowerCase();
  const needle = query.toLocaleLowerCase();
  const parts: JSX.Element[] = [];
  let from = 0;
  for (
    let at = lower.indexOf(needle);
    at >= 0;
    at = lower.indexOf(needle, from)
  ) {
    parts.push(<Fragment key={`t${from}`}>{text.slice(from, at)}</Fragment>);
    parts.push(
      <mark key={`m${at}`}>{text.slice(at, at + needle.length)}</mark>,
    );
    from = at + needle.length;
  }
  parts.push(<Fragment key="rest">{text.slice(from)}</Fragment>);
  return <>{parts}</>;
}
