import { useId } from "react";
import { useShopTime } from "../../../components/shop-time";
import type { TrendPoint, ZoneId } from "../../../models/gap-report/types";
import { formatScore } from "../format";
import { intlLocale } from "../../../i18n/locale";
import { useLocale, useMessages } from "../../../i18n/react";
import { gapScreenMessages } from "../messages";

const WIDTH = 320;
const HEIGHT = 110;
const PAD = { top: 8, right: 6, bottom: 20, left: 20 };

/**
 * One zone's score week by week (the shop's weeks, oldest first), as bars on the 0–3 scale;
 * a week without data has no bar. Plain SVG, like the Home charts.
 */
export function TrendChart({
  zone,
  label,
  trend,
}: {
  zone: ZoneId;
  label: string;
  trend: TrendPoint[];
}) {
  const id = useId();
  const shortDay = useShopTime().day;
  const t = useMessages(gapScreenMessages);
  const locale = intlLocale(useLocale());

  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, trend.length);
  const bar = Math.max(3, Math.min(18, slot * 0.6));
  const y = (value: number) => PAD.top + plotH - (Math.max(0, Math.min(3, value)) / 3) * plotH;
  const labelEvery = Math.ceil(trend.length / 4);
  const weeks = trend.map((point) => ({ week: point.weekStart, score: point.scores[zone] }));
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      style={{ display: "block", maxHeight: 140 }}
    >
      <title id={`${id}-title`}>{t("trendTitle", { zone: label })}</title>
      <desc id={`${id}-desc`}>
        {weeks
          .map((w) =>
            t("weekOf", {
              day: shortDay(w.week),
              score: w.score === null ? t("noData") : formatScore(w.score, locale),
            }),
          )
          .join("; ")}
      </desc>
      {[0, 1, 2, 3].map((tick) => (
        <g key={tick}>
          <line
            x1={PAD.left}
            x2={WIDTH - PAD.right}
            y1={y(tick)}
            y2={y(tick)}
            stroke="var(--p-color-border-secondary, #e3e3e3)"
            strokeWidth={1}
          />
          <text
            x={PAD.left - 6}
            y={y(tick) + 4}
            textAnchor="end"
            fontSize={11}
            fill="var(--p-color-text-secondary, #616161)"
          >
            {tick}
          </text>
        </g>
      ))}
      {weeks.map((w, i) => {
        const x = PAD.left + i * slot + (slot - bar) / 2;
        return (
          <g key={w.week}>
            <title>
              {t("weekOf", {
                day: shortDay(w.week),
                score: w.score === null ? t("noData") : formatScore(w.score, locale),
              })}
            </title>
            {w.score !== null && w.score > 0 ? (
              <rect
                x={x}
                y={y(w.score)}
                width={bar}
                height={y(0) - y(w.score)}
                rx={2}
                fill="var(--p-color-bg-fill-brand, #303030)"
              />
            ) : null}
            {(weeks.length - 1 - i) % labelEvery === 0 ? (
              <text
                x={x + bar / 2}
                y={HEIGHT - 5}
                textAnchor="middle"
                fontSize={11}
                fill="var(--p-color-text-secondary, #616161)"
              >
                {shortDay(w.week)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
