import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CATALOG_SEED,
  CATEGORY_COUNT,
  HISTORY_CLICKS,
  ITEMS_PER_CATEGORY,
  generateCatalog,
  generateSession,
  generateShopper,
  longTermOrderOf,
  nextIntent,
  pickByWeight,
  sampleSessions,
  sampleShoppers,
  sampleShoppingDay,
  type Shopper,
} from '@lib/data/shopping-sessions';
import { createRng } from '@lib/random';

describe('catalog', () => {
  const catalog = generateCatalog();

  it('has 16 categories of 10 priced items, popularity summing to 1', () => {
    expect(catalog.categories).toHaveLength(CATEGORY_COUNT);
    expect(catalog.items).toHaveLength(CATEGORY_COUNT * ITEMS_PER_CATEGORY);
    const popularity = catalog.categories.reduce((sum, c) => sum + c.popularity, 0);
    expect(popularity).toBeCloseTo(1, 12);
    for (const item of catalog.items) {
      expect(item.priceUsd).toBeGreaterThan(0);
      // Prices are rounded to cents.
      expect(Math.round(item.priceUsd * 100) / 100).toBe(item.priceUsd);
    }
  });

  it('names each category’s best seller (highest appeal) and its mean price', () => {
    for (const category of catalog.categories) {
      const items = category.itemIds.map((id) => catalog.items[id]!);
      expect(items.every((item) => item.categoryId === category.id)).toBe(true);
      const best = Math.max(...items.map((item) => item.appeal));
      expect(catalog.items[category.bestSellerId]!.appeal).toBe(best);
      const mean = items.reduce((sum, item) => sum + item.priceUsd, 0) / items.length;
      expect(category.meanPriceUsd).toBeCloseTo(mean, 10);
    }
  });

  it('orders categories by popularity and is the same shop every time', () => {
    const popularity = catalog.popularityOrder.map((id) => catalog.categories[id]!.popularity);
    expect([...popularity].sort((a, b) => b - a)).toEqual(popularity);
    expect(generateCatalog(CATALOG_SEED)).toEqual(catalog);
    expect(generateCatalog('another shop')).not.toEqual(catalog);
  });
});

describe('pickByWeight (inverse CDF)', () => {
  // Weights [1, 0, 3], total 4: u·4 < 1 picks 0; the zero weight is never picked.
  it('picks by hand-worked thresholds', () => {
    expect(pickByWeight([1, 0, 3], 0.2)).toBe(0); // 0.8 < 1
    expect(pickByWeight([1, 0, 3], 0.25)).toBe(2); // 1.0: past 0, skips the zero weight
    expect(pickByWeight([1, 0, 3], 0.999)).toBe(2);
    expect(pickByWeight([0, 0], 0.5)).toBe(-1);
  });
});

describe('long-term order', () => {
  it('ranks by clicks, then by popularity', () => {
    const catalog = generateCatalog();
    const clicks = new Array<number>(CATEGORY_COUNT).fill(0);
    clicks[5] = 4;
    clicks[9] = 4;
    clicks[2] = 7;
    const order = longTermOrderOf(clicks, catalog);
    expect(order[0]).toBe(2);
    // 5 and 9 tie on clicks: the more popular one first.
    const rank = (id: number) => catalog.popularityOrder.indexOf(id);
    expect(order.slice(1, 3)).toEqual(rank(5) < rank(9) ? [5, 9] : [9, 5]);
    // The never-clicked rest follow in popularity order.
    expect(order.slice(3)).toEqual(catalog.popularityOrder.filter((id) => ![2, 5, 9].includes(id)));
  });
});

describe('shoppers', () => {
  const catalog = generateCatalog();

  it('a returning shopper has 30 past clicks and starts on the most-clicked category', () => {
    const shopper = generateShopper(createRng(3), catalog, 0);
    expect(shopper.isNew).toBe(false);
    expect(shopper.historyClicks.reduce((a, b) => a + b, 0)).toBe(HISTORY_CLICKS);
    expect(shopper.tastes.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(shopper.favouriteCategory).toBe(shopper.longTermOrder[0]);
    expect(shopper.historyClicks[shopper.favouriteCategory]).toBe(
      Math.max(...shopper.historyClicks),
    );
  });

  it('a new shopper has no history, gets the popularity order, starts on their top taste', () => {
    const shopper = generateShopper(createRng(3), catalog, 1);
    expect(shopper.isNew).toBe(true);
    expect(shopper.historyClicks.every((c) => c === 0)).toBe(true);
    expect(shopper.longTermOrder).toEqual(catalog.popularityOrder);
    expect(shopper.tastes[shopper.favouriteCategory]).toBe(Math.max(...shopper.tastes));
  });

  it('consumes the same number of draws whether new or not (common random numbers)', () => {
    const a = createRng(11);
    const b = createRng(11);
    generateShopper(a, catalog, 0);
    generateShopper(b, catalog, 1);
    expect(a.getState()).toEqual(b.getState());
  });
});

describe('intent moves', () => {
  // Tastes [0.6, 0.3, 0.1], intent now on category 0.
  const tastes = [0.6, 0.3, 0.1];

  it('stays when the shift draw is not below p', () => {
    expect(nextIntent(0, tastes, 0.2, 0.2, 0.1, 0.5)).toBe(0);
    expect(nextIntent(0, tastes, 0, 0, 0.1, 0.5)).toBe(0);
  });

  it('a taste-driven move (uMix < 0.5) follows the other tastes: weights [0, 0.3, 0.1]', () => {
    expect(nextIntent(0, tastes, 1, 0.5, 0.2, 0.5)).toBe(1); // 0.5·0.4 = 0.2 < 0.3
    expect(nextIntent(0, tastes, 1, 0.5, 0.2, 0.8)).toBe(2); // 0.32 ≥ 0.3
  });

  it('a uniform move (uMix ≥ 0.5) picks any other category: weights [0, 1, 1]', () => {
    expect(nextIntent(0, tastes, 1, 0.5, 0.7, 0.4)).toBe(1); // 0.8 < 1
    expect(nextIntent(0, tastes, 1, 0.5, 0.7, 0.6)).toBe(2); // 1.2 ≥ 1
  });

  it('never stays when it moves', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (current, uMix, uPick) => nextIntent(current, tastes, 1, 0, uMix, uPick) !== current,
      ),
    );
  });

  it('with p = 0 a session stays on the favourite', () => {
    const shopper: Shopper = generateShopper(createRng(5), generateCatalog(), 0);
    const session = generateSession(createRng(6), shopper, 0, 8);
    expect(session.intents).toEqual(new Array(8).fill(shopper.favouriteCategory));
  });

  it('moves on about a share p of pages (binomial, within 4 standard deviations)', () => {
    const p = 0.2;
    const day = sampleShoppingDay({
      seed: 9,
      sessions: 2000,
      intentShiftProbability: p,
      newUserShare: 0.1,
    });
    let moves = 0;
    let chances = 0;
    for (const { intents } of day.sessions) {
      for (let t = 1; t < intents.length; t++) {
        chances++;
        if (intents[t] !== intents[t - 1]) moves++;
      }
    }
    const sd = Math.sqrt((p * (1 - p)) / chances);
    expect(Math.abs(moves / chances - p)).toBeLessThan(4 * sd);
  });
});

describe('a simulated day', () => {
  it('is deterministic by seed', () => {
    const options = { seed: 4, sessions: 300, intentShiftProbability: 0.1, newUserShare: 0.05 };
    expect(sampleShoppingDay(options)).toEqual(sampleShoppingDay(options));
    expect(sampleShoppingDay({ ...options, seed: 5 }).sessions).not.toEqual(
      sampleShoppingDay(options).sessions,
    );
  });

  it('keeps the same shoppers when only the shift probability changes', () => {
    const shoppers = sampleShoppers(8, 200, 0.1);
    const calm = sampleSessions(shoppers, 0);
    const restless = sampleSessions(shoppers, 0.3);
    expect(calm.map((s) => s.shopper)).toEqual(restless.map((s) => s.shopper));
    expect(calm.map((s) => s.intents[0])).toEqual(restless.map((s) => s.intents[0]));
  });

  it('has about the share of new shoppers asked for', () => {
    const { shoppers } = sampleShoppers(2, 4000, 0.25);
    const share = shoppers.filter((s) => s.isNew).length / shoppers.length;
    expect(Math.abs(share - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / 4000));
    expect(sampleShoppers(2, 50, 0).shoppers.some((s) => s.isNew)).toBe(false);
    expect(sampleShoppers(2, 50, 1).shoppers.every((s) => s.isNew)).toBe(true);
  });

  it('refuses impossible settings', () => {
    expect(() =>
      sampleShoppingDay({ seed: 1, sessions: 1, intentShiftProbability: 1.5, newUserShare: 0 }),
    ).toThrow(RangeError);
    expect(() =>
      sampleShoppingDay({ seed: 1, sessions: 1, intentShiftProbability: 0, newUserShare: -1 }),
    ).toThrow(RangeError);
    expect(() =>
      sampleShoppingDay({
        seed: 1,
        sessions: 1,
        intentShiftProbability: 0,
        newUserShare: 0,
        steps: 0,
      }),
    ).toThrow(RangeError);
  });
});
