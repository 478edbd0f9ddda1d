/* test-text.c — FlText wraps like a wrapped GtkLabel, and takes markup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#undef G_DISABLE_ASSERT

#include <gtk/gtk.h>

#include "fl-text.h"
#include "fl-ui-test.h"

static gboolean have_display;

static const char *const texts[] = {
  "Send a tailored sample and a local success-case video (see 金华顾总案例: resolved 3 of 3 "
  "similar cases within 14 days).",
  "建议立即发送定制化样品+本地成功案例视频（参考金华顾总案例，同类 3 例中 3 例 14 天内化解）",
  "Short",
  "",
};

static int
_height_for_width (GtkWidget *widget,
                   int        width)
{
  int minimum, natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, natural);
  return natural;
}

/* At any width, as many lines of the same height as a GtkLabel wrapping at
 * word or character boundaries: the pane's rows keep their look. */
static void
test_wraps_like_label (void)
{
  static const int widths[] = { 90, 160, 240, 380 };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      GtkWidget *label = g_object_ref_sink (gtk_label_new (texts[t]));
      GtkWidget *text = g_object_ref_sink (fl_text_new (texts[t]));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
        {
          int height = _height_for_width (text, widths[w]);

          g_test_message ("text %u at %d px: %d px high", t, widths[w], height);
          g_assert_cmpint (height, ==, _height_for_width (label, widths[w]));
        }
      /* Longer text at the same width: taller. */
      if (t == 0)
        g_assert_cmpint (_height_for_width (text, 90), >, _height_for_width (text, 380));
      g_object_unref (label);
      g_object_unref (text);
    }
}

static void
test_text_change (void)
{
  GtkWidget *text;
  int one_line, more;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  text = g_object_ref_sink (fl_text_new ("Short"));
  one_line = _height_for_width (text, 160);
  fl_text_set_text (FL_TEXT (text), texts[0]);
  g_assert_cmpstr (fl_text_get_text (FL_TEXT (text)), ==, texts[0]);
  more = _height_for_width (text, 160);
  g_assert_cmpint (more, >, 2 * one_line);
  fl_text_set_text (FL_TEXT (text), NULL);
  g_assert_cmpstr (fl_text_get_text (FL_TEXT (text)), ==, "");
  g_object_unref (text);
}

static void
test_markup (void)
{
  GtkWidget *text;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  text = g_object_ref_sink (fl_text_new (NULL));
  fl_text_set_markup (FL_TEXT (text), "<b>376,000 CNY</b> at risk");
  g_assert_cmpstr (fl_text_get_text (FL_TEXT (text)), ==, "376,000 CNY at risk");
  g_assert_cmpstr (fl_ui_test_text_of (text), ==, "376,000 CNY at risk");

  /* Not markup: shown as it is, and said so. */
  g_test_expect_message ("fieldlight", G_LOG_LEVEL_WARNING, "*is not valid markup*");
  fl_text_set_markup (FL_TEXT (text), "<b>unclosed");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (fl_text_get_text (FL_TEXT (text)), ==, "<b>unclosed");
  g_object_unref (text);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  have_display = gtk_init_check ();

  g_test_add_func ("/text/wraps-like-label", test_wraps_like_label);
  g_test_add_func ("/text/text-change", test_text_change);
  g_test_add_func ("/text/markup", test_markup);
  return g_test_run ();
}
