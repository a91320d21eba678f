<?php
// Loads WordPress from the command line for one site of the fixture: the Debian config
// named by BA_WP_CONFIG, the host (with port) the site is served on.
$_SERVER['HTTP_HOST'] = getenv('BA_WP_HOST');
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['WORDPRESS_CONFIG'] = getenv('BA_WP_CONFIG');
require '/usr/share/wordpress/wp-load.php';
