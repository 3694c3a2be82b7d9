import { render, screen, fireEvent } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { logEntry } from '../../__testUtils__/fakeApi';
import { LogList } from './LogList';
import { rowAt, rowOffsets, visibleRange } from './windowing';

describe('windowing', () => {
  it('finds the rows in view by binary search', () => {
    const offsets = rowOffsets([20, 20, 60, 20]);
    expect(offsets).toEqual([0, 20, 40, 100, 120]);
    expect(rowAt(offsets, 0)).toBe(0);
    expect(rowAt(offsets, 45)).toBe(2);
    expect(rowAt(offsets, 119)).toBe(3);
    expect(visibleRange(offsets, 20, 30, 0)).toEqual({ start: 1, end: 3 });
  });
});

describe('LogList', () => {
  it('renders only the rows in view of 10,000 lines and follows the scroll', () => {
    const entries = Array.from({ length: 10_000 }, (_, i) =>
      logEntry('info', `line ${i}`),
    );
    const started = performance.now();
    render(<LogList entries={entries} height={200} lineHeight={20} />);
    expect(performance.now() - started).toBeLessThan(1000);
    const list = screen.getByRole('list', { name: 'Log lines (10000)' });
    // 10 rows in view + overscan
    expect(screen.getAllByRole('listitem').length).toBeLessThanOrEqual(25);
    expect(screen.getByText('line 0')).toBeInTheDocument();
    fireEvent.scroll(list, { target: { scrollTop: 20 * 5000 } });
    expect(screen.getByText('line 5000')).toBeInTheDocument();
    expect(screen.queryByText('line 0')).not.toBeInTheDocument();
  });

  it('folds a multi-line exception and expands it on demand', async () => {
    const trace = [
      'java.lang.IllegalStateException: boom',
      '\tat a.B.c(B.java:1)',
      '\tat a.B.d(B.java:2)',
    ];
    render(<LogList entries={[logEntry('error', trace)]} />);
    expect(
      screen.getByText('java.lang.IllegalStateException: boom'),
    ).toBeInTheDocument();
    expect(screen.getByText(/\+2 lines/)).toBeInTheDocument();
    expect(screen.queryByText('\tat a.B.c(B.java:1)')).not.toBeInTheDocument();
    const toggle = screen.getByRole('button', {
      name: 'Expand exception (3 lines)',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(screen.getByText(/at a\.B\.c\(B\.java:1\)/)).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Fold exception (3 lines)' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('highlights search matches', () => {
    render(
      <LogList
        entries={[logEntry('info', 'payment Timeout after 3s')]}
        query="timeout"
      />,
    );
    expect(screen.getByText('Timeout').tagName).toBe('MARK');
  });
});
