import { useId } from "react";
import { useMessages } from "../i18n/react";
import { chartMessages } from "./components.messages";
import { useShopTime } from "./shop-time";

export interface DayCount {
  /** The shop's local date, YYYY-MM-DD. */
  day: string;
  actions: number;
  failures: number;
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 16, right: 12, bottom: 28, left: 36 };

function niceMax(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step =
    [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s * 4 >= value) ?? magnitude * 10;
  return step * 4;
}

/**
 * Actions per day as an SVG bar chart (no chart library): one bar per day, the failed part
 * stacked on top in red, four gridlines, a label ("Dec 5") every few days counted back from
 * today. Days are the shop's (the loader buckets them in its time zone). Scales to its container;
 * each bar has a tooltip and the figure has a text description for screen readers.
 */
export function ActionsChart({ data, title }: { data: DayCount[]; title?: string }) {
  const id = useId();
  const t = useMessages(chartMessages);
  const shortDay = useShopTime().day;
  const max = niceMax(Math.max(0, ...data.map((d) => d.actions + d.failures)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, data.length);
  const bar = Math.max(4, Math.min(36, slot * 0.6));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const labelEvery = Math.ceil(data.length / 7);
  const total = data.reduce((sum, d) => sum + d.actions, 0);
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      style={{ display: "block", maxHeight: 240 }}
    >
      <title id={`${id}-title`}>{title ?? t("title")}</title>
      <desc id={`${id}-desc`}>
        {t("desc", { count: total, days: data.length }) +
          data
            .map((d) =>
              d.failures
                ? t("dayFailed", { day: shortDay(d.day), actions: d.actions, failures: d.failures })
                : t("day", { day: shortDay(d.day), actions: d.actions }),
            )
            .join("; ")}
      </desc>
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <g key={f}>
          <line
            x1={PAD.left}
            x2={WIDTH - PAD.right}
            y1={y(max * f)}
            y2={y(max * f)}
            stroke="var(--p-color-border-secondary, #e3e3e3)"
            strokeWidth={1}
          />
          <text
            x={PAD.left - 6}
            y={y(max * f) + 4}
            textAnchor="end"
            fontSize={11}
            fill="var(--p-color-text-secondary, #616161)"
          >
            {Math.round(max * f)}
          </text>
        </g>
      ))}
      {data.map((d, i) => {
        const x = PAD.left + i * slot + (slot - bar) / 2;
        return (
          <g key={d.day} data-day={d.day} data-actions={d.actions}>
            <title>
              {t("bar", { day: shortDay(d.day), count: d.actions }) +
                (d.failures ? t("failed", { count: d.failures }) : "")}
            </title>
            {d.actions > 0 ? (
              <rect
                x={x}
                y={y(d.actions)}
                width={bar}
                height={y(0) - y(d.actions)}
                rx={3}
                fill="var(--p-color-bg-fill-brand, #303030)"
              />
            ) : null}
            {d.failures > 0 ? (
              <rect
                x={x}
                y={y(d.actions + d.failures)}
                width={bar}
                height={y(d.actions) - y(d.actions + d.failures)}
                rx={3}
                fill="var(--p-color-bg-fill-critical, #e51c00)"
              />
            ) : null}
            {(data.length - 1 - i) % labelEvery === 0 ? (
              <text
                x={x + bar / 2}
                y={HEIGHT - 8}
                textAnchor="middle"
                fontSize={11}
                fill="var(--p-color-text-secondary, #616161)"
              >
                {shortDay(d.day)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
