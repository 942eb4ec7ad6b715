import { useId } from "react";
import { formatScore } from "../format";
import { intlLocale } from "../../../i18n/locale";
import { useLocale, useMessages } from "../../../i18n/react";
import { gapScreenMessages } from "../messages";

const WIDTH = 320;
const ROW = 22;
const PAD = { top: 6, right: 34, bottom: 18, left: 86 };
const HEIGHT = PAD.top + ROW * 2 + PAD.bottom;
const SHOP_COLOR = "var(--p-color-bg-fill-brand, #303030)";
const TYPICAL_COLOR = "#b4c6f0";

/**
 * A zone's score beside the typical score of stores in the shop's band, as two bars on the 0–3
 * scale (plain SVG, as the Home charts, so it renders on the server and prints).
 */
export function ScoreBars({
  zone,
  score,
  typical,
}: {
  zone: string;
  score: number | null;
  typical: number;
}) {
  const id = useId();
  const t = useMessages(gapScreenMessages);
  const locale = intlLocale(useLocale());
  const plotW = WIDTH - PAD.left - PAD.right;
  const x = (value: number) => PAD.left + (Math.max(0, Math.min(3, value)) / 3) * plotW;
  const rows = [
    { label: t("yourStore"), value: score, color: SHOP_COLOR },
    { label: t("typicalBar"), value: typical, color: TYPICAL_COLOR },
  ];
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title`}
      style={{ display: "block", maxHeight: 110 }}
    >
      <title id={`${id}-title`}>
        {t("barsTitle", {
          zone,
          score: score === null ? t("notScoredLower") : formatScore(score, locale),
          typical: formatScore(typical, locale),
        })}
      </title>
      {[0, 1, 2, 3].map((tick) => (
        <g key={tick}>
          <line
            x1={x(tick)}
            x2={x(tick)}
            y1={PAD.top}
            y2={HEIGHT - PAD.bottom}
            stroke="var(--p-color-border-secondary, #e3e3e3)"
            strokeWidth={1}
          />
          <text
            x={x(tick)}
            y={HEIGHT - 4}
            textAnchor="middle"
            fontSize={11}
            fill="var(--p-color-text-secondary, #616161)"
          >
            {tick}
          </text>
        </g>
      ))}
      {rows.map((row, i) => {
        const y = PAD.top + i * ROW + 3;
        return (
          <g key={row.label}>
            <text
              x={PAD.left - 8}
              y={y + 12}
              textAnchor="end"
              fontSize={12}
              fill="var(--p-color-text, #303030)"
            >
              {row.label}
            </text>
            {row.value !== null && row.value > 0 ? (
              <rect
                x={x(0)}
                y={y}
                width={x(row.value) - x(0)}
                height={ROW - 6}
                rx={3}
                fill={row.color}
              />
            ) : null}
            <text
              x={x(row.value ?? 0) + 6}
              y={y + 12}
              fontSize={12}
              fill="var(--p-color-text, #303030)"
            >
              {row.value === null ? "—" : formatScore(row.value, locale)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
