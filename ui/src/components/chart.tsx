// A small line chart for resource usage over time (SVG, no library): the last samples, the
// current value and the limit it is measured against.

export interface Sample {
  t: number;
  v: number;
}

export function Sparkline({ samples, max, label, format, testId }: { samples: Sample[]; max: number; label: string; format: (v: number) => string; testId?: string }) {
  const W = 300;
  const H = 64;
  const last = samples[samples.length - 1];
  const top = Math.max(max, ...samples.map((s) => s.v), 1);
  const t0 = samples[0]?.t ?? 0;
  const span = Math.max(1, (last?.t ?? 1) - t0);
  const pts = samples.map((s) => `${(((s.t - t0) / span) * W).toFixed(1)},${(H - (s.v / top) * (H - 4) - 2).toFixed(1)}`);
  const pct = last && max > 0 ? Math.round((last.v / max) * 100) : undefined;
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        <span>{label}</span>
        <strong>
          {last ? format(last.v) : '–'}
          {max > 0 && <span className="muted small"> / {format(max)}</span>}
          {pct !== undefined && <span className="muted small"> ({pct}%)</span>}
        </strong>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`${label} over the last ${samples.length} samples`}>
        {samples.length > 1 && (
          <>
            <polygon className="chart-area" points={`0,${H} ${pts.join(' ')} ${W},${H}`} />
            <polyline className="chart-line" points={pts.join(' ')} />
          </>
        )}
      </svg>
    </figure>
  );
}
