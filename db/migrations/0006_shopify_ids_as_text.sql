-- Shopify ids inside JSON are kept as their decimal digits from now on (docs/decisions/012):
-- stored order lines and the upsell recipe's memory, written with JSON numbers before, take
-- the same form, so containment queries ({"variantId": "…"}) and comparisons see one kind.
UPDATE "orders" SET "line_items" = (
  SELECT coalesce(jsonb_agg(
    e.item
      || CASE WHEN jsonb_typeof(e.item->'id') = 'number' THEN jsonb_build_object('id', e.item->>'id') ELSE '{}'::jsonb END
      || CASE WHEN jsonb_typeof(e.item->'variantId') = 'number' THEN jsonb_build_object('variantId', e.item->>'variantId') ELSE '{}'::jsonb END
      || CASE WHEN jsonb_typeof(e.item->'productId') = 'number' THEN jsonb_build_object('productId', e.item->>'productId') ELSE '{}'::jsonb END
    ORDER BY e.ord), '[]'::jsonb)
  FROM jsonb_array_elements("orders"."line_items") WITH ORDINALITY AS e(item, ord)
)
WHERE EXISTS (
  SELECT 1 FROM jsonb_array_elements("orders"."line_items") AS i(item)
  WHERE jsonb_typeof(i.item->'id') = 'number' OR jsonb_typeof(i.item->'variantId') = 'number' OR jsonb_typeof(i.item->'productId') = 'number'
);--> statement-breakpoint
UPDATE "recipe_state" SET "value" = "value"
  || CASE WHEN jsonb_typeof("value"->'variantId') = 'number' THEN jsonb_build_object('variantId', "value"->>'variantId') ELSE '{}'::jsonb END
  || CASE WHEN jsonb_typeof("value"->'wanted') = 'number' THEN jsonb_build_object('wanted', "value"->>'wanted') ELSE '{}'::jsonb END
WHERE "recipe_id" = 'post-purchase-upsell'
  AND (jsonb_typeof("value"->'variantId') = 'number' OR jsonb_typeof("value"->'wanted') = 'number');
