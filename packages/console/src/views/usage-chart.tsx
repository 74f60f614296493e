import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { DailySeries, EntityType } from './usage-data.js';

// Only the pieces a stacked bar chart uses, so the rest of chart.js stays out of the bundle.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const LABELS: Record<EntityType, string> = { datawarehouse: 'Data warehouses', service: 'Services', clickpipe: 'ClickPipes' };
const COLORS: Record<EntityType, string> = { datawarehouse: '#1a56db', service: '#0e9f6e', clickpipe: '#c27803' };

/** The daily cost, one bar per day stacked by entity type; the records table below is its text equivalent. */
export function UsageChart({ days, series }: { days: string[]; series: DailySeries[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, {
      type: 'bar',
      data: {
        labels: days,
        datasets: series.map((s) => ({ label: LABELS[s.entityType], data: s.values, backgroundColor: COLORS[s.entityType], stack: 'cost' })),
      },
      options: {
        // Drawn at once: an animation would redraw the canvas many times for nothing the reader needs.
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'CHC' } } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
    return () => chart.destroy();
  }, [days, series]);
  const summary = `Daily cost in CHC from ${days[0]} to ${days[days.length - 1]}, stacked by entity type: ${series.map((s) => LABELS[s.entityType]).join(', ')}. The records table lists every amount.`;
  return (
    <div class="usage-chart">
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}
