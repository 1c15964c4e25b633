// A window that flips between black and white on every key press: the target-side half of the
// gateway latency benchmark. Usage: gateway_latency_flipper X Y SIZE (on $DISPLAY).
// With RDPWARDEN_LATENCY_TRACE=<file> it appends "x-key <ns>" when the X server hands it the key
// and "x-drawn <ns>" once the X server has drawn the flip (steady_clock, as the bench and the
// gateway's worker do), so that the bench can split the path at the target's screen.
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

FILE* trace_file() {
  static FILE* file = [] {
    const char* path = std::getenv("RDPWARDEN_LATENCY_TRACE");
    return path && *path ? std::fopen(path, "a") : nullptr;
  }();
  return file;
}

void mark(const char* stage) {
  FILE* file = trace_file();
  if (!file) return;
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count();
  std::fprintf(file, "%s %lld 0\n", stage, static_cast<long long>(ns));
  std::fflush(file);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s X Y SIZE\n", argv[0]);
    return 2;
  }
  const int x = std::atoi(argv[1]);
  const int y = std::atoi(argv[2]);
  const int size = std::atoi(argv[3]);
  Display* dpy = XOpenDisplay(nullptr);
  if (!dpy) return 1;
  const int screen = DefaultScreen(dpy);
  const unsigned long black = BlackPixel(dpy, screen);
  const unsigned long white = WhitePixel(dpy, screen);
  XSetWindowAttributes attrs{};
  attrs.override_redirect = True;
  attrs.background_pixel = black;
  attrs.event_mask = KeyPressMask | ExposureMask;
  Window win =
      XCreateWindow(dpy, RootWindow(dpy, screen), x, y, static_cast<unsigned>(size),
                    static_cast<unsigned>(size), 0, CopyFromParent, InputOutput, CopyFromParent,
                    CWOverrideRedirect | CWBackPixel | CWEventMask, &attrs);
  XMapRaised(dpy, win);
  XSync(dpy, False);
  XSetInputFocus(dpy, win, RevertToParent, CurrentTime);
  GC gc = XCreateGC(dpy, win, 0, nullptr);
  bool on = false;
  std::printf("ready\n");
  std::fflush(stdout);
  for (;;) {
    XEvent event;
    XNextEvent(dpy, &event);
    if (event.type == KeyPress) {
      mark("x-key");
      on = !on;
    }
    if (event.type == KeyPress || event.type == Expose) {
      XSetForeground(dpy, gc, on ? white : black);
      XFillRectangle(dpy, win, gc, 0, 0, static_cast<unsigned>(size), static_cast<unsigned>(size));
      XFlush(dpy);
      if (event.type == KeyPress && trace_file()) {
        XSync(dpy, False);  // the reply comes once the X server has drawn the rectangle
        mark("x-drawn");
      }
    }
  }
}
