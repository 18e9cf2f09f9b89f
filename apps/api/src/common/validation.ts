import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/**
 * The global validation pipe: unknown fields are refused, types are checked, and the
 * first problem is reported with `param` naming the field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => toApiError(errors),
  });
}

function toApiError(errors: ValidationError[]): ApiError {
  const found = firstProblem(errors, '');
  if (!found) {
    return ApiError.badRequest('Invalid request');
  }

  return ApiError.badRequest(found.message, found.path);
}

function firstProblem(
  errors: ValidationError[],
  prefix: string,
): { path: string; message: string } | null {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const messages = Object.entries(error.constraints ?? {});

    if (messages.length > 0) {
      return { path, message: describe(path, messages[0]) };
    }

    const nested = firstProblem(error.children ?? [], path);
    if (nested) {
      return nested;
    }
  }

  return null;
}

/** class-validator words "property x should not exist" oddly for a client; say it plainly. */
function describe(path: string, [rule, message]: [string, string]): string {
  if (rule === 'whitelistValidation') {
    return `Unknown field: ${path}`;
  }

  return message;
}
