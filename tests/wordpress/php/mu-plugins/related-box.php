<?php
/*
 * Plugin Name: Related posts box and footer tag cloud
 * Description: What related-posts plugins and widgets print: a box after the content,
 * chosen by hand (post meta `ba_related`), headed by a label and with no known class; and a
 * tag cloud with the categories in the footer of every page.
 */
function ba_related_box($content) {
    if (!is_singular('post') || !in_the_loop()) {
        return $content;
    }
    $ids = array_filter(array_map('intval', explode(',', (string) get_post_meta(get_the_ID(), 'ba_related', true))));
    if (!$ids) {
        return $content;
    }
    $items = '';
    foreach ($ids as $id) {
        $items .= sprintf('<li><a href="%s">%s</a></li>', esc_url(get_permalink($id)), get_the_title($id));
    }
    return $content . '<div class="ba-more"><h3>Das könnte Sie auch interessieren</h3><ul>' . $items . '</ul></div>';
}
add_filter('the_content', 'ba_related_box', 20);

add_action('wp_footer', function () {
    echo '<aside class="ba-footer-terms"><h2>Schlagwörter</h2>';
    wp_tag_cloud(['smallest' => 10, 'largest' => 10, 'unit' => 'px']);
    echo '<h2>Kategorien</h2><ul>';
    wp_list_categories(['title_li' => '']);
    echo '</ul></aside>';
});
