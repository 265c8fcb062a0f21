import { LoadingRows } from "../_components/states";

export default function Loading() {
  return (
    <div className="space-y-6">
      <div className="h-8 w-48 animate-pulse rounded-md bg-gray-200" />
      <LoadingRows rows={5} label="Loading page" />
    </div>
  );
}
