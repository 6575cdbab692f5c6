import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../bench/stats';

describe('bench statistics', () => {
  it('interpolates percentiles between the nearest ranks', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBeCloseTo(5.5);
    expect(percentile(sorted, 95)).toBeCloseTo(9.55);
    expect(percentile(sorted, 99)).toBeCloseTo(9.91);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(10);
  });

  it('gives the sample itself for a single sample, and NaN for none', () => {
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises samples in any order without changing them', () => {
    const samples = [9, 1, 5, 3, 7];
    const summary = summarize(samples);
    expect(summary).toMatchObject({ n: 5, min: 1, p50: 5, max: 9, mean: 5 });
    expect(summary.p95).toBeCloseTo(8.6);
    expect(summary.p99).toBeCloseTo(8.92);
    expect(samples).toEqual([9, 1, 5, 3, 7]);
  });

  it('summarises no samples as n = 0 and NaN figures', () => {
    const summary = summarize([]);
    expect(summary.n).toBe(0);
    expect(summary.p50).toBeNaN();
    expect(summary.max).toBeNaN();
  });
});
