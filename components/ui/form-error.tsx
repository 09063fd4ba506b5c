/** Errors under a field, referenced by the field's aria-describedby (`${id}-error`). */
export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
      {errors.join(' ')}
    </p>
  );
}

export const fieldClass = (invalid: boolean) =>
  `mt-1 block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset focus:ring-2 focus:ring-brand-600 ${invalid ? 'ring-red-500' : 'ring-slate-300'}`;
