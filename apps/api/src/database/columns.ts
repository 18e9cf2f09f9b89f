import { ValueTransformer } from 'typeorm';

/**
 * Money is stored as exact `numeric` so that totals equal the sum of their rows; `pg`
 * returns numeric as text, and the API speaks plain JSON numbers.
 */
export const money: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
