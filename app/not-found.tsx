import Link from "next/link";

export default function NotFound() {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold text-blue-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-gray-900">Page not found</h1>
      <p className="mt-2 max-w-sm text-sm text-gray-500">It does not exist, or you are not a member of the organisation it belongs to.</p>
      <Link href="/" className="mt-6 text-sm font-medium text-blue-600 hover:underline">
        Go to your projects
      </Link>
    </div>
  );
}
