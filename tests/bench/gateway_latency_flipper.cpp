// A window that flips between black and white on every key press: the target-side half of the
// gateway latency benchmark. Usage: gateway_latency_flipper X Y SIZE (on $DISPLAY).
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <cstdio>
#include <cstdlib>

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
    if (event.type == KeyPress) on = !on;
    if (event.type == KeyPress || event.type == Expose) {
      XSetForeground(dpy, gc, on ? white : black);
      XFillRectangle(dpy, win, gc, 0, 0, static_cast<unsigned>(size), static_cast<unsigned>(size));
      XFlush(dpy);
    }
  }
}
