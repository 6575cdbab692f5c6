import { z } from 'zod';

/** An element index as `state` printed it: a whole number from 1. */
export const elementIndex = z.coerce.number().int().min(1);
