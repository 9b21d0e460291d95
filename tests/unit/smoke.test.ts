import { expect, test } from 'vitest';
import { QuerySyntaxError } from '#core/errors.ts';

test('errors name the position', () => {
  expect(new QuerySyntaxError('expected a term', 3).message).toBe('at position 3: expected a term');
});
