/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type SwitchboardActiveSubscriptionsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type SwitchboardActiveSubscriptionsQuery = { currentAppInstallation: { activeSubscriptions: Array<(
      Pick<AdminTypes.AppSubscription, 'id'>
      & { lineItems: Array<(
        Pick<AdminTypes.AppSubscriptionLineItem, 'id'>
        & { plan: { pricingDetails: { __typename: 'AppRecurringPricing' } | (
            { __typename: 'AppUsagePricing' }
            & { cappedAmount: Pick<AdminTypes.MoneyV2, 'currencyCode'> }
          ) } }
      )> }
    )> } };

export type SwitchboardAppUsageRecordCreateMutationVariables = AdminTypes.Exact<{
  subscriptionLineItemId: AdminTypes.Scalars['ID']['input'];
  price: AdminTypes.MoneyInput;
  description: AdminTypes.Scalars['String']['input'];
  idempotencyKey: AdminTypes.Scalars['String']['input'];
}>;


export type SwitchboardAppUsageRecordCreateMutation = { appUsageRecordCreate?: AdminTypes.Maybe<{ appUsageRecord?: AdminTypes.Maybe<Pick<AdminTypes.AppUsageRecord, 'id'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type SwitchboardCollectionsQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type SwitchboardCollectionsQuery = { nodes: Array<AdminTypes.Maybe<Pick<AdminTypes.Collection, 'id' | 'title'>>> };

export type SwitchboardHistoryOrdersQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type SwitchboardHistoryOrdersQuery = { orders: { edges: Array<{ node: (
        Pick<AdminTypes.Order, 'id' | 'name' | 'email' | 'currencyCode' | 'presentmentCurrencyCode' | 'displayFinancialStatus' | 'displayFulfillmentStatus' | 'tags' | 'cancelledAt' | 'processedAt' | 'createdAt' | 'updatedAt'>
        & { shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'countryCodeV2'>>, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'>, presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }>, totalTaxSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }>, currentTotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, customer?: AdminTypes.Maybe<(
          Pick<AdminTypes.Customer, 'id' | 'email' | 'firstName' | 'lastName' | 'phone' | 'tags' | 'updatedAt'>
          & { emailMarketingConsent?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailMarketingConsentState, 'marketingState'>> }
        )>, refunds: Array<Pick<AdminTypes.Refund, 'id' | 'createdAt'>>, fulfillments: Array<(
          Pick<AdminTypes.Fulfillment, 'id' | 'status' | 'displayStatus' | 'createdAt' | 'updatedAt' | 'estimatedDeliveryAt' | 'deliveredAt'>
          & { trackingInfo: Array<Pick<AdminTypes.FulfillmentTrackingInfo, 'company' | 'number' | 'url'>> }
        )>, lineItems: { edges: Array<{ node: (
              Pick<AdminTypes.LineItem, 'id' | 'sku' | 'title' | 'quantity'>
              & { originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, variant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id'>>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>> }
            ) }> } }
      ) }> } };

export type SwitchboardHistoryStockQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type SwitchboardHistoryStockQuery = { productVariants: { edges: Array<{ node: (
        Pick<AdminTypes.ProductVariant, 'id' | 'sku' | 'title' | 'price'>
        & { product: Pick<AdminTypes.Product, 'id'>, inventoryItem: (
          Pick<AdminTypes.InventoryItem, 'id'>
          & { inventoryLevels: { edges: Array<{ node: (
                Pick<AdminTypes.InventoryLevel, 'id' | 'updatedAt'>
                & { location: Pick<AdminTypes.Location, 'id'>, quantities: Array<Pick<AdminTypes.InventoryQuantity, 'name' | 'quantity'>> }
              ) }> } }
        ) }
      ) }> } };

export type SwitchboardProductFactsQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type SwitchboardProductFactsQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.Product, 'id' | 'title' | 'tags'>
    & { collections: { nodes: Array<Pick<AdminTypes.Collection, 'id'>> } }
  )>> };

export type SwitchboardShopDetailsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type SwitchboardShopDetailsQuery = { shop: (
    Pick<AdminTypes.Shop, 'name' | 'currencyCode' | 'ianaTimezone'>
    & { plan: Pick<AdminTypes.ShopPlan, 'displayName'> }
  ) };

export type SwitchboardTagsAddMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type SwitchboardTagsAddMutation = { tagsAdd?: AdminTypes.Maybe<{ node?: AdminTypes.Maybe<Pick<AdminTypes.AbandonedCheckout, 'id'> | Pick<AdminTypes.AbandonedCheckoutLineItem, 'id'> | Pick<AdminTypes.Abandonment, 'id'> | Pick<AdminTypes.AddAllProductsOperation, 'id'> | Pick<AdminTypes.AdditionalFee, 'id'> | Pick<AdminTypes.App, 'id'> | Pick<AdminTypes.AppCatalog, 'id'> | Pick<AdminTypes.AppCredit, 'id'> | Pick<AdminTypes.AppInstallation, 'id'> | Pick<AdminTypes.AppPurchaseOneTime, 'id'> | Pick<AdminTypes.AppRevenueAttributionRecord, 'id'> | Pick<AdminTypes.AppSubscription, 'id'> | Pick<AdminTypes.AppUsageRecord, 'id'> | Pick<AdminTypes.Article, 'id'> | Pick<AdminTypes.BasicEvent, 'id'> | Pick<AdminTypes.Blog, 'id'> | Pick<AdminTypes.BulkOperation, 'id'> | Pick<AdminTypes.BusinessEntity, 'id'> | Pick<AdminTypes.CalculatedOrder, 'id'> | Pick<AdminTypes.CartTransform, 'id'> | Pick<AdminTypes.CashTrackingAdjustment, 'id'> | Pick<AdminTypes.CashTrackingSession, 'id'> | Pick<AdminTypes.CatalogCsvOperation, 'id'> | Pick<AdminTypes.Channel, 'id'> | Pick<AdminTypes.ChannelDefinition, 'id'> | Pick<AdminTypes.ChannelInformation, 'id'> | Pick<AdminTypes.CheckoutProfile, 'id'> | Pick<AdminTypes.Collection, 'id'> | Pick<AdminTypes.Comment, 'id'> | Pick<AdminTypes.CommentEvent, 'id'> | Pick<AdminTypes.Company, 'id'> | Pick<AdminTypes.CompanyAddress, 'id'> | Pick<AdminTypes.CompanyContact, 'id'> | Pick<AdminTypes.CompanyContactRole, 'id'> | Pick<AdminTypes.CompanyContactRoleAssignment, 'id'> | Pick<AdminTypes.CompanyLocation, 'id'> | Pick<AdminTypes.CompanyLocationCatalog, 'id'> | Pick<AdminTypes.CompanyLocationStaffMemberAssignment, 'id'> | Pick<AdminTypes.ConsentPolicy, 'id'> | Pick<AdminTypes.Customer, 'id'> | Pick<AdminTypes.CustomerAccountAppExtensionPage, 'id'> | Pick<AdminTypes.CustomerAccountNativePage, 'id'> | Pick<AdminTypes.CustomerPaymentMethod, 'id'> | Pick<AdminTypes.CustomerSegmentMembersQuery, 'id'> | Pick<AdminTypes.CustomerVisit, 'id'> | Pick<AdminTypes.DeliveryCarrierService, 'id'> | Pick<AdminTypes.DeliveryCondition, 'id'> | Pick<AdminTypes.DeliveryCountry, 'id'> | Pick<AdminTypes.DeliveryCustomization, 'id'> | Pick<AdminTypes.DeliveryLocationGroup, 'id'> | Pick<AdminTypes.DeliveryMethod, 'id'> | Pick<AdminTypes.DeliveryMethodDefinition, 'id'> | Pick<AdminTypes.DeliveryParticipant, 'id'> | Pick<AdminTypes.DeliveryProfile, 'id'> | Pick<AdminTypes.DeliveryProfileItem, 'id'> | Pick<AdminTypes.DeliveryPromiseParticipant, 'id'> | Pick<AdminTypes.DeliveryPromiseProvider, 'id'> | Pick<AdminTypes.DeliveryProvince, 'id'> | Pick<AdminTypes.DeliveryRateDefinition, 'id'> | Pick<AdminTypes.DeliveryZone, 'id'> | Pick<AdminTypes.DiscountAutomaticBxgy, 'id'> | Pick<AdminTypes.DiscountAutomaticNode, 'id'> | Pick<AdminTypes.DiscountCodeNode, 'id'> | Pick<AdminTypes.DiscountNode, 'id'> | Pick<AdminTypes.DiscountRedeemCodeBulkCreation, 'id'> | Pick<AdminTypes.Domain, 'id'> | Pick<AdminTypes.DraftOrder, 'id'> | Pick<AdminTypes.DraftOrderLineItem, 'id'> | Pick<AdminTypes.DraftOrderTag, 'id'> | Pick<AdminTypes.Duty, 'id'> | Pick<AdminTypes.ExchangeLineItem, 'id'> | Pick<AdminTypes.ExchangeV2, 'id'> | Pick<AdminTypes.ExternalVideo, 'id'> | Pick<AdminTypes.Fulfillment, 'id'> | Pick<AdminTypes.FulfillmentConstraintRule, 'id'> | Pick<AdminTypes.FulfillmentEvent, 'id'> | Pick<AdminTypes.FulfillmentHold, 'id'> | Pick<AdminTypes.FulfillmentLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrder, 'id'> | Pick<AdminTypes.FulfillmentOrderDestination, 'id'> | Pick<AdminTypes.FulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrderMerchantRequest, 'id'> | Pick<AdminTypes.GenericFile, 'id'> | Pick<AdminTypes.GiftCard, 'id'> | Pick<AdminTypes.GiftCardCreditTransaction, 'id'> | Pick<AdminTypes.GiftCardDebitTransaction, 'id'> | Pick<AdminTypes.InventoryAdjustmentGroup, 'id'> | Pick<AdminTypes.InventoryItem, 'id'> | Pick<AdminTypes.InventoryItemMeasurement, 'id'> | Pick<AdminTypes.InventoryLevel, 'id'> | Pick<AdminTypes.InventoryQuantity, 'id'> | Pick<AdminTypes.LineItem, 'id'> | Pick<AdminTypes.LineItemGroup, 'id'> | Pick<AdminTypes.Location, 'id'> | Pick<AdminTypes.MailingAddress, 'id'> | Pick<AdminTypes.Market, 'id'> | Pick<AdminTypes.MarketCatalog, 'id'> | Pick<AdminTypes.MarketRegionCountry, 'id'> | Pick<AdminTypes.MarketWebPresence, 'id'> | Pick<AdminTypes.MarketingActivity, 'id'> | Pick<AdminTypes.MarketingEvent, 'id'> | Pick<AdminTypes.MediaImage, 'id'> | Pick<AdminTypes.Menu, 'id'> | Pick<AdminTypes.Metafield, 'id'> | Pick<AdminTypes.MetafieldDefinition, 'id'> | Pick<AdminTypes.Metaobject, 'id'> | Pick<AdminTypes.MetaobjectDefinition, 'id'> | Pick<AdminTypes.Model3d, 'id'> | Pick<AdminTypes.OnlineStoreTheme, 'id'> | Pick<AdminTypes.Order, 'id'> | Pick<AdminTypes.OrderAdjustment, 'id'> | Pick<AdminTypes.OrderDisputeSummary, 'id'> | Pick<AdminTypes.OrderTransaction, 'id'> | Pick<AdminTypes.Page, 'id'> | Pick<AdminTypes.PaymentCustomization, 'id'> | Pick<AdminTypes.PaymentMandate, 'id'> | Pick<AdminTypes.PaymentSchedule, 'id'> | Pick<AdminTypes.PaymentTerms, 'id'> | Pick<AdminTypes.PaymentTermsTemplate, 'id'> | Pick<AdminTypes.PriceList, 'id'> | Pick<AdminTypes.PriceRule, 'id'> | Pick<AdminTypes.PriceRuleDiscountCode, 'id'> | Pick<AdminTypes.Product, 'id'> | Pick<AdminTypes.ProductBundleOperation, 'id'> | Pick<AdminTypes.ProductDeleteOperation, 'id'> | Pick<AdminTypes.ProductDuplicateOperation, 'id'> | Pick<AdminTypes.ProductFeed, 'id'> | Pick<AdminTypes.ProductOption, 'id'> | Pick<AdminTypes.ProductOptionValue, 'id'> | Pick<AdminTypes.ProductSetOperation, 'id'> | Pick<AdminTypes.ProductTaxonomyNode, 'id'> | Pick<AdminTypes.ProductVariant, 'id'> | Pick<AdminTypes.ProductVariantComponent, 'id'> | Pick<AdminTypes.Publication, 'id'> | Pick<AdminTypes.PublicationResourceOperation, 'id'> | Pick<AdminTypes.QuantityPriceBreak, 'id'> | Pick<AdminTypes.Refund, 'id'> | Pick<AdminTypes.RefundShippingLine, 'id'> | Pick<AdminTypes.Return, 'id'> | Pick<AdminTypes.ReturnLineItem, 'id'> | Pick<AdminTypes.ReturnableFulfillment, 'id'> | Pick<AdminTypes.ReverseDelivery, 'id'> | Pick<AdminTypes.ReverseDeliveryLineItem, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrder, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderDisposition, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.SaleAdditionalFee, 'id'> | Pick<AdminTypes.SavedSearch, 'id'> | Pick<AdminTypes.ScriptTag, 'id'> | Pick<AdminTypes.Segment, 'id'> | Pick<AdminTypes.SellingPlan, 'id'> | Pick<AdminTypes.SellingPlanGroup, 'id'> | Pick<AdminTypes.ServerPixel, 'id'> | Pick<AdminTypes.Shop, 'id'> | Pick<AdminTypes.ShopAddress, 'id'> | Pick<AdminTypes.ShopPolicy, 'id'> | Pick<AdminTypes.ShopifyPaymentsAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsBalanceTransaction, 'id'> | Pick<AdminTypes.ShopifyPaymentsBankAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsDispute, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeEvidence, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFileUpload, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFulfillment, 'id'> | Pick<AdminTypes.ShopifyPaymentsPayout, 'id'> | Pick<AdminTypes.ShopifyPaymentsVerification, 'id'> | Pick<AdminTypes.StaffMember, 'id'> | Pick<AdminTypes.StandardMetafieldDefinitionTemplate, 'id'> | Pick<AdminTypes.StoreCreditAccount, 'id'> | Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitRevertTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id'> | Pick<AdminTypes.StorefrontAccessToken, 'id'> | Pick<AdminTypes.SubscriptionBillingAttempt, 'id'> | Pick<AdminTypes.SubscriptionContract, 'id'> | Pick<AdminTypes.SubscriptionDraft, 'id'> | Pick<AdminTypes.TaxonomyAttribute, 'id'> | Pick<AdminTypes.TaxonomyCategory, 'id'> | Pick<AdminTypes.TaxonomyChoiceListAttribute, 'id'> | Pick<AdminTypes.TaxonomyMeasurementAttribute, 'id'> | Pick<AdminTypes.TaxonomyValue, 'id'> | Pick<AdminTypes.TenderTransaction, 'id'> | Pick<AdminTypes.TransactionFee, 'id'> | Pick<AdminTypes.UnverifiedReturnLineItem, 'id'> | Pick<AdminTypes.UrlRedirect, 'id'> | Pick<AdminTypes.UrlRedirectImport, 'id'> | Pick<AdminTypes.Validation, 'id'> | Pick<AdminTypes.Video, 'id'> | Pick<AdminTypes.WebPixel, 'id'> | Pick<AdminTypes.WebPresence, 'id'> | Pick<AdminTypes.WebhookSubscription, 'id'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type SwitchboardVariantStockQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type SwitchboardVariantStockQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.ProductVariant, 'id' | 'sku' | 'title' | 'price' | 'inventoryQuantity'>
    & { product: Pick<AdminTypes.Product, 'id'>, inventoryItem: Pick<AdminTypes.InventoryItem, 'id'> }
  )>> };

export type SwitchboardVariantsBySkuQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
  first: AdminTypes.Scalars['Int']['input'];
}>;


export type SwitchboardVariantsBySkuQuery = { productVariants: { nodes: Array<Pick<AdminTypes.ProductVariant, 'id' | 'sku'>> } };

export type SwitchboardBulkRunQueryMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type SwitchboardBulkRunQueryMutation = { bulkOperationRunQuery?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkOperationUserError, 'field' | 'message' | 'code'>> }> };

export type SwitchboardBulkOperationQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SwitchboardBulkOperationQuery = { node?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'url'>> };

export type InventoryItemVariantQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type InventoryItemVariantQuery = { inventoryItem?: AdminTypes.Maybe<(
    Pick<AdminTypes.InventoryItem, 'id' | 'sku'>
    & { variant: (
      Pick<AdminTypes.ProductVariant, 'id' | 'title' | 'price'>
      & { product: Pick<AdminTypes.Product, 'id'> }
    ) }
  )> };

export type SwitchboardOfferVariantQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SwitchboardOfferVariantQuery = { productVariant?: AdminTypes.Maybe<(
    Pick<AdminTypes.ProductVariant, 'id' | 'title' | 'price'>
    & { image?: AdminTypes.Maybe<Pick<AdminTypes.Image, 'url'>>, product: (
      Pick<AdminTypes.Product, 'id' | 'title'>
      & { featuredImage?: AdminTypes.Maybe<Pick<AdminTypes.Image, 'url'>> }
    ) }
  )> };

export type SwitchboardUpsellChargeOrderQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type SwitchboardUpsellChargeOrderQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'createdAt'>
    & { customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, lineItems: { nodes: Array<(
        Pick<AdminTypes.LineItem, 'quantity'>
        & { variant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id'>>, originalUnitPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, discountAllocations: Array<{ allocatedAmountSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount'> } }> }
      )> } }
  )> };

interface GeneratedQueryTypes {
  "#graphql\n  query SwitchboardActiveSubscriptions {\n    currentAppInstallation {\n      activeSubscriptions {\n        id\n        lineItems {\n          id\n          plan {\n            pricingDetails {\n              __typename\n              ... on AppUsagePricing {\n                cappedAmount { currencyCode }\n              }\n            }\n          }\n        }\n      }\n    }\n  }": {return: SwitchboardActiveSubscriptionsQuery, variables: SwitchboardActiveSubscriptionsQueryVariables},
  "#graphql\n  query SwitchboardCollections($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on Collection { id title }\n    }\n  }": {return: SwitchboardCollectionsQuery, variables: SwitchboardCollectionsQueryVariables},
  "#graphql\n  query SwitchboardHistoryOrders {\n    orders(query: \"created_at:>='SINCE_ISO_TIMESTAMP'\", sortKey: CREATED_AT) {\n      edges {\n        node {\n          id\n          name\n          email\n          currencyCode\n          presentmentCurrencyCode\n          shippingAddress { countryCodeV2 }\n          totalPriceSet { shopMoney { amount } presentmentMoney { amount } }\n          subtotalPriceSet { shopMoney { amount } }\n          totalTaxSet { shopMoney { amount } }\n          currentTotalPriceSet { shopMoney { amount } }\n          displayFinancialStatus\n          displayFulfillmentStatus\n          tags\n          cancelledAt\n          processedAt\n          createdAt\n          updatedAt\n          customer {\n            id\n            email\n            firstName\n            lastName\n            phone\n            tags\n            updatedAt\n            emailMarketingConsent { marketingState }\n          }\n          refunds { id createdAt }\n          fulfillments {\n            id\n            status\n            displayStatus\n            createdAt\n            updatedAt\n            estimatedDeliveryAt\n            deliveredAt\n            trackingInfo { company number url }\n          }\n          lineItems {\n            edges {\n              node {\n                id\n                sku\n                title\n                quantity\n                originalUnitPriceSet { shopMoney { amount } }\n                variant { id }\n                product { id }\n              }\n            }\n          }\n        }\n      }\n    }\n  }": {return: SwitchboardHistoryOrdersQuery, variables: SwitchboardHistoryOrdersQueryVariables},
  "#graphql\n  query SwitchboardHistoryStock {\n    productVariants {\n      edges {\n        node {\n          id\n          sku\n          title\n          price\n          product { id }\n          inventoryItem {\n            id\n            inventoryLevels {\n              edges {\n                node {\n                  id\n                  updatedAt\n                  location { id }\n                  quantities(names: [\"available\"]) { name quantity }\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }": {return: SwitchboardHistoryStockQuery, variables: SwitchboardHistoryStockQueryVariables},
  "#graphql\n  query SwitchboardProductFacts($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on Product {\n        id\n        title\n        tags\n        collections(first: 10) { nodes { id } }\n      }\n    }\n  }": {return: SwitchboardProductFactsQuery, variables: SwitchboardProductFactsQueryVariables},
  "#graphql\n  query SwitchboardShopDetails {\n    shop {\n      name\n      currencyCode\n      ianaTimezone\n      plan { displayName }\n    }\n  }": {return: SwitchboardShopDetailsQuery, variables: SwitchboardShopDetailsQueryVariables},
  "#graphql\n  query SwitchboardVariantStock($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on ProductVariant {\n        id\n        sku\n        title\n        price\n        inventoryQuantity\n        product { id }\n        inventoryItem { id }\n      }\n    }\n  }": {return: SwitchboardVariantStockQuery, variables: SwitchboardVariantStockQueryVariables},
  "#graphql\n  query SwitchboardVariantsBySku($query: String!, $first: Int!) {\n    productVariants(first: $first, query: $query) {\n      nodes { id sku }\n    }\n  }": {return: SwitchboardVariantsBySkuQuery, variables: SwitchboardVariantsBySkuQueryVariables},
  "#graphql\n  query SwitchboardBulkOperation($id: ID!) {\n    node(id: $id) {\n      ... on BulkOperation { id status errorCode objectCount url }\n    }\n  }": {return: SwitchboardBulkOperationQuery, variables: SwitchboardBulkOperationQueryVariables},
  "#graphql\n  query InventoryItemVariant($id: ID!) {\n    inventoryItem(id: $id) {\n      id\n      sku\n      variant { id title price product { id } }\n    }\n  }": {return: InventoryItemVariantQuery, variables: InventoryItemVariantQueryVariables},
  "#graphql\n  query SwitchboardOfferVariant($id: ID!) {\n    productVariant(id: $id) {\n      id\n      title\n      price\n      image { url }\n      product { id title featuredImage { url } }\n    }\n  }": {return: SwitchboardOfferVariantQuery, variables: SwitchboardOfferVariantQueryVariables},
  "#graphql\n  query SwitchboardUpsellChargeOrder($id: ID!) {\n    order(id: $id) {\n      id\n      createdAt\n      customer { id }\n      lineItems(first: 20) {\n        nodes {\n          quantity\n          variant { id }\n          originalUnitPriceSet { shopMoney { amount } }\n          discountAllocations { allocatedAmountSet { shopMoney { amount } } }\n        }\n      }\n    }\n  }": {return: SwitchboardUpsellChargeOrderQuery, variables: SwitchboardUpsellChargeOrderQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation SwitchboardAppUsageRecordCreate(\n    $subscriptionLineItemId: ID!\n    $price: MoneyInput!\n    $description: String!\n    $idempotencyKey: String!\n  ) {\n    appUsageRecordCreate(\n      subscriptionLineItemId: $subscriptionLineItemId\n      price: $price\n      description: $description\n      idempotencyKey: $idempotencyKey\n    ) {\n      appUsageRecord { id }\n      userErrors { field message }\n    }\n  }": {return: SwitchboardAppUsageRecordCreateMutation, variables: SwitchboardAppUsageRecordCreateMutationVariables},
  "#graphql\n  mutation SwitchboardTagsAdd($id: ID!, $tags: [String!]!) {\n    tagsAdd(id: $id, tags: $tags) {\n      node { id }\n      userErrors { field message }\n    }\n  }": {return: SwitchboardTagsAddMutation, variables: SwitchboardTagsAddMutationVariables},
  "#graphql\n  mutation SwitchboardBulkRunQuery($query: String!) {\n    bulkOperationRunQuery(query: $query) {\n      bulkOperation { id status }\n      userErrors { field message code }\n    }\n  }": {return: SwitchboardBulkRunQueryMutation, variables: SwitchboardBulkRunQueryMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
