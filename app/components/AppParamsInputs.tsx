import { useLocation } from "@remix-run/react";
import { APP_PARAMS } from "./useAppPath";

/** Hidden inputs that carry Shopify's URL parameters through a GET form (filters). */
export function AppParamsInputs() {
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  return (
    <>
      {APP_PARAMS.filter((name) => params.has(name)).map((name) => (
        <input key={name} type="hidden" name={name} value={params.get(name)!} />
      ))}
    </>
  );
}
