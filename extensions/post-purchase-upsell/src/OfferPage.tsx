import { useEffect, useRef, useState } from "react";
import {
  Banner,
  BlockStack,
  Button,
  CalloutBanner,
  Heading,
  Image,
  InlineStack,
  Layout,
  Separator,
  Text,
  TextBlock,
  TextContainer,
  View,
  type PostPurchaseRenderApi,
} from "@shopify/post-purchase-ui-extensions-react";
import type { Offer, OfferClient } from "./api";
import { countdownTime, createTranslator, type Translator } from "./i18n";
import { storedOffer } from "./should-render";

type Calculation = Awaited<ReturnType<PostPurchaseRenderApi["calculateChangeset"]>>;
type Money = { amount: string; currencyCode: string };

export interface Totals {
  line: Money | null;
  shipping: Money | null;
  taxes: Money | null;
  /** What the buyer pays now (the purchase's outstanding amount after the change). */
  total: Money | null;
}

const sum = (items: { amount: string; currencyCode: string }[], currency: string): Money => ({
  amount: items.reduce((n, m) => n + Number(m.amount), 0).toFixed(2),
  currencyCode: items[0]?.currencyCode ?? currency,
});

/** The line, shipping, taxes and total the buyer would pay, from Shopify's calculation. */
export function totalsOf(calculation: Calculation, offer: Offer): Totals | null {
  if (calculation.status !== "processed" || !calculation.calculatedPurchase) return null;
  const purchase = calculation.calculatedPurchase;
  const line = purchase.updatedLineItems.find((item) => item.variantId === offer.variantId);
  return {
    line: line?.totalPriceSet.presentmentMoney ?? null,
    shipping: sum(
      purchase.addedShippingLines.map((s) => s.priceSet.presentmentMoney),
      offer.currency,
    ),
    taxes: sum(
      purchase.addedTaxLines.map((t) => t.priceSet.presentmentMoney),
      offer.currency,
    ),
    total: purchase.totalOutstandingSet.presentmentMoney,
  };
}

function MoneyLine({
  label,
  value,
  emphasized,
}: {
  label: string;
  value: string;
  emphasized?: boolean;
}) {
  return (
    <InlineStack spacing="tight">
      <Text emphasized={emphasized}>{label}</Text>
      <Text emphasized={emphasized}>{value}</Text>
    </InlineStack>
  );
}

type Phase = "ready" | "accepting" | "declining" | "failed";

/**
 * The offer's price, original and discount in the buyer's currency: Shopify's calculated line
 * once it is there (exact), else the app's estimate at this purchase's rate, else the shop's
 * currency (the checkout is in it).
 */
export function buyerPrices(
  offer: Offer,
  line: Money | null,
): { currency: string; original: number; discounted: number; amountOff: number | null } {
  const shop = {
    original: Number(offer.price) * offer.quantity,
    discounted: Number(offer.discountedPrice),
  };
  const fixed = offer.discount?.valueType === "fixed_amount" ? offer.discount.value : null;
  if (line && line.currencyCode !== offer.currency && shop.discounted > 0) {
    // Shopify priced the line in the buyer's currency: scale the rest by the same rate.
    const rate = Number(line.amount) / shop.discounted;
    return {
      currency: line.currencyCode,
      original: round2(shop.original * rate),
      discounted: Number(line.amount),
      amountOff: fixed === null ? null : round2(fixed * rate),
    };
  }
  if (offer.presentment && (!line || line.currencyCode === offer.presentment.currency))
    return {
      currency: offer.presentment.currency,
      original: round2(Number(offer.presentment.price) * offer.quantity),
      discounted: Number(offer.presentment.discountedPrice),
      amountOff:
        offer.presentment.discountAmount === null ? null : Number(offer.presentment.discountAmount),
    };
  return { currency: offer.currency, ...shop, amountOff: fixed };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The Accept button: the merchant's words or "Pay now", then the total once Shopify priced it. */
export function acceptLabel(offer: Offer, i18n: Translator, total: string | null): string {
  const words = offer.copy?.button;
  if (!words) return total ? i18n.t("accept", { total }) : i18n.t("acceptPlain");
  return total ? `${words} · ${total}` : words;
}

function discountLabel(
  offer: Offer,
  prices: ReturnType<typeof buyerPrices>,
  i18n: Translator,
): string | null {
  if (!offer.discount) return null;
  return offer.discount.valueType === "percentage"
    ? i18n.t("percentOff", { value: offer.discount.value })
    : i18n.t("amountOff", { amount: i18n.money(prices.amountOff ?? 0, prices.currency) });
}

/**
 * Checkout::PostPurchase::Render: the offer ShouldRender stored, priced by Shopify
 * (calculateChangeset: line, shipping, taxes, total), with Accept (the app signs the changeset,
 * then applyChangeset) and Decline. After either, the app is asked for the funnel's next step
 * (the offer after an accepted one, or the downsell after a declined one); with none, done()
 * moves on to the thank-you page.
 */
export function OfferPage({
  input,
  client,
}: {
  input: PostPurchaseRenderApi;
  client: OfferClient;
}) {
  const i18n = createTranslator(input.inputData.locale);
  const [offer, setOffer] = useState<Offer | null>(() => storedOffer(input.storage.initialData));
  const [totals, setTotals] = useState<Totals | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [phase, setPhase] = useState<Phase>("ready");

  useEffect(() => {
    if (!offer) return;
    let current = true;
    input
      .calculateChangeset({ changes: offer.changes })
      .then((calculation) => {
        if (!current) return;
        const computed = totalsOf(calculation, offer);
        if (computed) setTotals(computed);
        else setUnavailable(true);
      })
      .catch(() => current && setUnavailable(true));
    return () => {
      current = false;
    };
    // Priced again only when the funnel moves to another offer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [offer?.id]);

  // The rule's countdown: seconds left on this offer, counted from the app's figure (so the
  // buyer's clock does not matter); at zero the offer is declined.
  const [secondsLeft, setSecondsLeft] = useState<number | null>(
    () => offer?.countdownSeconds ?? null,
  );
  const expire = useRef<() => void>(() => undefined);
  useEffect(() => {
    const seconds = offer?.countdownSeconds;
    if (seconds === null || seconds === undefined) return;
    const endsAt = Date.now() + seconds * 1000;
    const tick = setInterval(() => {
      const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      setSecondsLeft(left);
      if (left === 0) {
        clearInterval(tick);
        expire.current();
      }
    }, 1000);
    return () => clearInterval(tick);
    // A new countdown only when the funnel moves to another offer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [offer?.id]);
  // Ran out while the buyer had not answered: declined, as if they had pressed Decline.
  useEffect(() => {
    expire.current = () => {
      if (phase === "ready") void decline();
    };
  });

  /** The funnel's next step, or the thank-you page when it has none (or the app can't say). */
  async function moveOn() {
    const next = await client.fetchOffer(input.inputData).catch(() => null);
    if (!next || next.id === offer?.id) {
      await input.done();
      return;
    }
    setTotals(null);
    setUnavailable(false);
    setSecondsLeft(next.countdownSeconds ?? null);
    setOffer(next);
    setPhase("ready");
  }

  if (!offer) {
    return (
      <BlockStack>
        <TextBlock>{i18n.t("unavailable")}</TextBlock>
        <Button onPress={() => void input.done()}>{i18n.t("continue")}</Button>
      </BlockStack>
    );
  }

  async function accept() {
    if (!offer) return;
    setPhase("accepting");
    try {
      const token = await client.signChangeset(input.inputData, offer.id);
      const result = await input.applyChangeset(token);
      if (result.status === "unprocessed") {
        setPhase("failed");
        return;
      }
      await moveOn();
    } catch {
      setPhase("failed");
    }
  }

  async function decline() {
    if (!offer) return;
    setPhase("declining");
    // The buyer moves on whatever happens to the report.
    await client.decline(input.inputData, offer.id).catch(() => undefined);
    await moveOn();
  }

  const prices = buyerPrices(offer, totals?.line ?? null);
  const save = discountLabel(offer, prices, i18n);
  const original = i18n.money(prices.original, prices.currency);
  const discounted = i18n.money(prices.discounted, prices.currency);
  const money = (m: Money | null) => (m ? i18n.money(m.amount, m.currencyCode) : "—");
  const busy = phase === "accepting" || phase === "declining";

  return (
    <BlockStack spacing="loose">
      <CalloutBanner title={offer.copy?.headline ?? i18n.t("heading")}>
        {offer.copy?.body ?? i18n.t("subheading")}
      </CalloutBanner>
      <Layout
        maxInlineSize={0.95}
        media={[
          { viewportSize: "small", sizes: [1, 30, 1] },
          { viewportSize: "medium", sizes: [300, 30, 0.5] },
          { viewportSize: "large", sizes: [400, 30, 0.33] },
        ]}
      >
        <View>
          {offer.imageUrl ? (
            <Image source={offer.imageUrl} description={offer.productTitle} />
          ) : null}
        </View>
        <View />
        <BlockStack>
          <TextContainer>
            <Heading>{offer.productTitle}</Heading>
            {offer.variantTitle ? <TextBlock subdued>{offer.variantTitle}</TextBlock> : null}
            {offer.quantity > 1 ? (
              <TextBlock subdued>{i18n.t("quantity", { quantity: offer.quantity })}</TextBlock>
            ) : null}
            <InlineStack spacing="tight">
              {save ? (
                <Text role="deletion" subdued>
                  {original}
                </Text>
              ) : null}
              <Text emphasized size="large">
                {discounted}
              </Text>
            </InlineStack>
            {save ? <Text appearance="success">{i18n.t("save", { discount: save })}</Text> : null}
            {secondsLeft !== null ? (
              <Text appearance="critical" emphasized>
                {i18n.t("endsIn", { time: countdownTime(secondsLeft) })}
              </Text>
            ) : null}
          </TextContainer>
          <Separator />
          {unavailable ? (
            <Banner status="warning">{i18n.t("unavailable")}</Banner>
          ) : totals ? (
            <BlockStack spacing="tight">
              <MoneyLine label={i18n.t("subtotal")} value={money(totals.line)} />
              <MoneyLine
                label={i18n.t("shipping")}
                value={
                  totals.shipping && Number(totals.shipping.amount) === 0
                    ? i18n.t("shippingFree")
                    : money(totals.shipping)
                }
              />
              <MoneyLine label={i18n.t("taxes")} value={money(totals.taxes)} />
              <Separator />
              <MoneyLine label={i18n.t("total")} value={money(totals.total)} emphasized />
            </BlockStack>
          ) : (
            <TextBlock subdued>{i18n.t("calculating")}</TextBlock>
          )}
          {phase === "failed" ? (
            <BlockStack spacing="tight">
              <Banner status="critical">{i18n.t("failed")}</Banner>
              <Button onPress={() => void input.done()}>{i18n.t("continue")}</Button>
            </BlockStack>
          ) : unavailable ? (
            <Button onPress={() => void decline()} loading={phase === "declining"}>
              {i18n.t("continue")}
            </Button>
          ) : (
            <BlockStack spacing="tight">
              <Button
                submit
                onPress={() => void accept()}
                loading={phase === "accepting"}
                disabled={!totals || busy}
              >
                {acceptLabel(offer, i18n, totals ? money(totals.total) : null)}
              </Button>
              <Button
                subdued
                onPress={() => void decline()}
                loading={phase === "declining"}
                disabled={busy}
              >
                {i18n.t("decline")}
              </Button>
            </BlockStack>
          )}
        </BlockStack>
      </Layout>
    </BlockStack>
  );
}
