'use client';

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const TIER_COLORS = { LOW: '#10b981', MEDIUM: '#0ea5e9', HIGH: '#f59e0b', STOP: '#dc2626' } as const;
const shortWeek = (w: string) => w.slice(5);

/** Runs per week, stacked by tier. The numbers are in the table next to it. */
export function RunsByTierChart({ data }: { data: ({ week: string } & Record<keyof typeof TIER_COLORS, number>)[] }) {
  return (
    <div className="h-64" aria-hidden>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="week" tickFormatter={shortWeek} tick={{ fontSize: 11, fill: '#64748b' }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: '#64748b' }} />
          <Tooltip labelFormatter={(w) => `Week of ${w}`} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          {(Object.keys(TIER_COLORS) as (keyof typeof TIER_COLORS)[]).map((t) => (
            <Bar key={t} dataKey={t} name={t.charAt(0) + t.slice(1).toLowerCase()} stackId="tier" fill={TIER_COLORS[t]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Approval latency per week: median and p90, in hours. */
export function LatencyChart({ data }: { data: { week: string; p50: number | null; p90: number | null }[] }) {
  return (
    <div className="h-64" aria-hidden>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="week" tickFormatter={shortWeek} tick={{ fontSize: 11, fill: '#64748b' }} />
          <YAxis tick={{ fontSize: 11, fill: '#64748b' }} unit=" h" />
          <Tooltip labelFormatter={(w) => `Week of ${w}`} formatter={(v) => `${v} h`} />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          <Line type="linear" dataKey="p50" name="Median" stroke="#4f46e5" strokeWidth={2} connectNulls dot={false} isAnimationActive={false} />
          <Line type="linear" dataKey="p90" name="p90" stroke="#f59e0b" strokeWidth={2} connectNulls dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** MCP calls by capability, largest first. */
export function McpUsageChart({ data }: { data: { name: string; calls: number }[] }) {
  return (
    <div style={{ height: Math.max(120, data.length * 34 + 40) }} aria-hidden>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11, fill: '#64748b' }} />
          <YAxis type="category" dataKey="name" width={170} tick={{ fontSize: 11, fill: '#334155' }} />
          <Tooltip />
          <Bar dataKey="calls" name="Calls" fill="#4f46e5" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
