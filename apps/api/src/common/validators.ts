import { registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';
import { isDuration } from '@gatehouse/domain';

/** A duration such as `30s`, `30m`, `30h`, `30d` or `1mo`. */
export function IsDuration(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDuration',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a duration such as 30s, 30m, 30h, 30d or 1mo`,
        ...options,
      },
      validator: { validate: (value: unknown) => isDuration(value) },
    });
}

/** A JSON object (not an array, not null) of modest size. */
export function IsPlainObject(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPlainObject',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a JSON object`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          JSON.stringify(value).length <= 16_384,
      },
    });
}

/**
 * May be left out, but not sent as `null`: for fields whose absence means "keep" or
 * "default" and that have no empty value of their own (lists, objects, flags).
 */
export function IsOptionalNotNull() {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
