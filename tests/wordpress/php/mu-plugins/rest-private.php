<?php
/*
 * Plugin Name: REST for logged-in users only
 * Description: What hardened corporate sites do: the REST API answers 401 to anonymous clients.
 */
add_filter('rest_authentication_errors', function ($result) {
    if (!empty($result) || is_user_logged_in()) {
        return $result;
    }
    return new WP_Error('rest_not_logged_in', 'Nur für angemeldete Benutzer.', ['status' => 401]);
});
